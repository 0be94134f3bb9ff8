package dev.hyphae.store.sqlite;

import dev.hyphae.store.Peers;
import dev.hyphae.store.StoredPeer;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The peers and peer_addresses tables: libp2p peers and their addresses with expiry times. */
final class PeersTable implements Peers.Writer {
    static final String SCHEMA_V8 = """
            CREATE TABLE peers (
                peer_id TEXT NOT NULL PRIMARY KEY,
                public_key BLOB,
                protocols TEXT NOT NULL,
                signed_peer_record BLOB,
                last_seen_ts INTEGER NOT NULL
            ) WITHOUT ROWID""";
    static final String ADDRESSES_SCHEMA_V8 = """
            CREATE TABLE peer_addresses (
                peer_id TEXT NOT NULL REFERENCES peers (peer_id),
                position INTEGER NOT NULL,
                address TEXT NOT NULL,
                expires_ts INTEGER NOT NULL,
                PRIMARY KEY (peer_id, position),
                UNIQUE (peer_id, address)
            ) WITHOUT ROWID""";
    static final String INDEX_ADDRESS_EXPIRY_V8 = "CREATE INDEX peer_addresses_expires ON peer_addresses (expires_ts)";

    /** Protocol IDs are joined by newlines, which no protocol ID contains. */
    private static final String SEPARATOR = "\n";

    static final String COLUMNS = "peer_id, public_key, protocols, signed_peer_record, last_seen_ts";
    static final String SELECT = "SELECT " + COLUMNS + " FROM peers WHERE peer_id = ?";
    static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM peers ORDER BY peer_id";
    static final String SELECT_ADDRESSES = "SELECT address, expires_ts FROM peer_addresses WHERE peer_id = ?"
            + " ORDER BY position";
    static final String SELECT_ALL_ADDRESSES = "SELECT peer_id, address, expires_ts FROM peer_addresses"
            + " ORDER BY peer_id, position";
    static final String UPSERT = "INSERT INTO peers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (peer_id) DO UPDATE SET public_key = excluded.public_key, protocols = excluded.protocols,"
            + " signed_peer_record = excluded.signed_peer_record, last_seen_ts = excluded.last_seen_ts";
    static final String DELETE_ADDRESSES = "DELETE FROM peer_addresses WHERE peer_id = ?";
    static final String INSERT_ADDRESS = "INSERT INTO peer_addresses (peer_id, position, address, expires_ts)"
            + " VALUES (?, ?, ?, ?)";
    static final String DELETE = "DELETE FROM peers WHERE peer_id = ?";
    static final String DELETE_EXPIRED = "DELETE FROM peer_addresses WHERE expires_ts <= ?";

    private final TransactionScope scope;

    PeersTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<StoredPeer> get(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return scope.call("reading peer", session -> {
            PreparedStatement addressQuery = session.prepare(SELECT_ADDRESSES);
            addressQuery.setString(1, peerId);
            List<StoredPeer.Address> addresses = new ArrayList<>();
            try (ResultSet rows = addressQuery.executeQuery()) {
                while (rows.next()) {
                    addresses.add(new StoredPeer.Address(rows.getString(1), rows.getLong(2)));
                }
            }
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, peerId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(peer(rows, addresses)) : Optional.empty();
            }
        });
    }

    @Override
    public List<StoredPeer> all() {
        return scope.call("reading peers", session -> {
            Map<String, List<StoredPeer.Address>> addresses = new LinkedHashMap<>();
            try (ResultSet rows = session.prepare(SELECT_ALL_ADDRESSES).executeQuery()) {
                while (rows.next()) {
                    addresses.computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
                            .add(new StoredPeer.Address(rows.getString(2), rows.getLong(3)));
                }
            }
            List<StoredPeer> peers = new ArrayList<>();
            try (ResultSet rows = session.prepare(SELECT_ALL).executeQuery()) {
                while (rows.next()) {
                    peers.add(peer(rows, addresses.getOrDefault(rows.getString(1), List.of())));
                }
            }
            return peers;
        });
    }

    @Override
    public void put(StoredPeer peer) {
        Objects.requireNonNull(peer, "peer");
        scope.call("storing peer", session -> {
            PreparedStatement upsert = session.prepare(UPSERT);
            upsert.setString(1, peer.peerId());
            setNullableBytes(upsert, 2, peer.publicKey().orElse(null));
            upsert.setString(3, String.join(SEPARATOR, peer.protocols()));
            setNullableBytes(upsert, 4, peer.signedPeerRecord().orElse(null));
            upsert.setLong(5, peer.lastSeenTs());
            upsert.executeUpdate();
            PreparedStatement clear = session.prepare(DELETE_ADDRESSES);
            clear.setString(1, peer.peerId());
            clear.executeUpdate();
            PreparedStatement insert = session.prepare(INSERT_ADDRESS);
            int position = 0;
            for (StoredPeer.Address address : peer.addresses()) {
                insert.setString(1, peer.peerId());
                insert.setInt(2, position++);
                insert.setString(3, address.multiaddr());
                insert.setLong(4, address.expiresTs());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return scope.call("deleting peer", session -> {
            PreparedStatement clear = session.prepare(DELETE_ADDRESSES);
            clear.setString(1, peerId);
            clear.executeUpdate();
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, peerId);
            return statement.executeUpdate() > 0;
        });
    }

    @Override
    public int deleteAddressesExpiredAt(long nowTs) {
        return scope.call("deleting expired peer addresses", session -> {
            PreparedStatement statement = session.prepare(DELETE_EXPIRED);
            statement.setLong(1, nowTs);
            return statement.executeUpdate();
        });
    }

    private static StoredPeer peer(ResultSet rows, List<StoredPeer.Address> addresses) throws SQLException {
        String protocols = rows.getString(3);
        return new StoredPeer(rows.getString(1), Optional.ofNullable(rows.getBytes(2)),
                protocols.isEmpty() ? List.of() : List.of(protocols.split(SEPARATOR, -1)), addresses,
                Optional.ofNullable(rows.getBytes(4)), rows.getLong(5));
    }

    private static void setNullableBytes(PreparedStatement statement, int index, byte[] value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BLOB);
        } else {
            statement.setBytes(index, value);
        }
    }
}
