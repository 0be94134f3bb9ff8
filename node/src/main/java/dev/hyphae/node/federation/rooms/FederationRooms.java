package dev.hyphae.node.federation.rooms;

import dev.hyphae.node.acl.RoomServerAcls;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.PduVerifier;
import dev.hyphae.node.event.VerifiedSignatures;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.node.roomserver.FederatedMembership;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.signing.ServerKeyLookup;
import dev.hyphae.node.stateres.StateResolver;
import dev.hyphae.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The room half of federation, built from the node's parts: the receiving pipeline for PDUs, the
 * server-server endpoints on rooms (transactions, joins, leaves, knocks, invites, event retrieval,
 * profile and room alias queries) and the membership operations of local users across servers, for
 * {@link dev.hyphae.node.roomserver.RoomMemberships}.
 */
public final class FederationRooms {
    /** How long one request to another server may take before it counts as unreachable. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final IncomingPdus incoming;
    private final FederationMemberships memberships;
    private final List<FederationEndpointGroup> endpointGroups;

    /**
     * @param sender       the node's local event sender (its room locks are shared)
     * @param signer       signs this node's events with its server key
     * @param keys         the signing keys of servers, this node's own among them
     * @param client       sends requests to other servers
     * @param eduReceivers the receiver of each EDU type that transactions carry
     */
    public FederationRooms(Store store, RoomEventSender sender, EventSigner signer, ServerKeyLookup keys,
            FederationClient client, ProfileService profiles, Map<String, EduReceiver> eduReceivers, Clock clock,
            Duration timeout) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        PduVerifier verifier = new PduVerifier(keys, new VerifiedSignatures(10_000));
        // Received events are checked with real signature checks; stored ones were checked when received.
        AuthChecks auth = new AuthChecks(new AuthorizationRules(verifier::isValidlySignedBy));
        RoomEvents events = new RoomEvents(store,
                new StateResolver(new AuthorizationRules(HomeserverSignatures.verifiedBefore())));
        RemoteEventWriter writer = new RemoteEventWriter(sender, clock);
        PduChecks checks = new PduChecks(verifier);
        RemoteEvents remote = new RemoteEvents(client, timeout);
        OutlierEvents outliers = new OutlierEvents(new PduBatchChecks(checks, VerificationPool.create(),
                VerificationPool.helpers()), auth, events, writer);
        RoomVisibility visibility = new RoomVisibility(events);
        RoomServerAcls acls = new RoomServerAcls(new CurrentServerAcl(events));
        RestrictedJoins restricted = new RestrictedJoins(events, store, signer);
        this.incoming = new IncomingPdus(events, checks, auth, outliers, remote, writer, acls);
        this.memberships = new FederationMemberships(events, remote, outliers, auth, checks, verifier, writer, signer,
                clock, profiles::addMemberFields);
        this.endpointGroups = List.of(
                new TransactionEndpoints(incoming, eduReceivers, store, clock, acls),
                new MembershipEndpoints(events, new EventTemplates(events, auth, signer.serverName(), clock,
                        restricted), checks, incoming, writer, signer, acls, restricted),
                new EventEndpoints(events, visibility, signer.serverName(), clock, acls),
                new QueryEndpoints(profiles, signer.serverName(), store));
    }

    /** The endpoint groups to register on the node's {@link dev.hyphae.node.federation.FederationRoutes}. */
    public List<FederationEndpointGroup> endpointGroups() {
        return endpointGroups;
    }

    /** Joins, leaves and invites across servers, for {@code new RoomMemberships(sender, store, memberships())}. */
    public FederatedMembership memberships() {
        return memberships;
    }

    /** The receiving pipeline, for PDUs that reach the node other than in a transaction. */
    public IncomingPdus incoming() {
        return incoming;
    }
}
