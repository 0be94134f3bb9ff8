// A js-libp2p peer for the circuit relay interop tests. Usage:
//   node relay-peer.mjs relay [maxReservations]   a circuit relay v2 server
//   node relay-peer.mjs peer [dcutr]               a peer that dials and listens through relays,
//                                                  with DCUtR (@libp2p/dcutr) when asked
//   node relay-peer.mjs peer dcutr-hole-punch      the same with DCUtR, where as B it always runs the
//                                                  /libp2p/dcutr exchange (see below)
// It listens on loopback, prints
//   LISTEN <multiaddr>/p2p/<id>
// and then obeys one command per line on stdin:
//   RESERVE <relay multiaddr>   -> RESERVED <circuit multiaddr of this peer> | RESERVE-ERR <message>
//   PING <multiaddr>            -> PING-OK <rtt ms> | PING-ERR <message>
//   ECHO <multiaddr> <text>     -> ECHO-OK <text echoed> | ECHO-ERR <message>
// It echoes on /hyphae/test/echo/1.0.0, also over relayed (limited) connections, and reports
// CONNECTED <peer id> <remote multiaddr> for every new connection.
import './with-resolvers.mjs'
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { multiaddr } from '@multiformats/multiaddr'

const role = process.argv[2] ?? 'peer'
const services = { identify: identify(), ping: ping() }
if (role === 'relay') {
  const maxReservations = Number(process.argv[3] ?? 15)
  services.relay = circuitRelayServer({ reservations: { maxReservations } })
}
const dcutrMode = process.argv[3]
if (dcutrMode === 'dcutr') {
  services.dcutr = dcutr()
} else if (dcutrMode === 'dcutr-hole-punch') {
  // a long timeout, so that a loaded machine cannot use up the three attempts
  services.dcutr = dcutr({ timeout: 30000 })
}

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp(), circuitRelayTransport()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { allow: ['/ip4/127.0.0.1'] },
  services
})

if (dcutrMode === 'dcutr-hole-punch') {
  // As B, js first tries to dial A's public addresses itself (the spec's unilateral upgrade) and
  // runs the /libp2p/dcutr exchange only when that fails. On loopback that dial always works, so it
  // is switched off here to exercise the exchange with a Java A.
  node.services.dcutr.attemptUnilateralConnectionUpgrade = async () => false
}

await node.handle('/hyphae/test/echo/1.0.0', async (stream) => {
  for await (const chunk of stream) {
    if (!stream.send(chunk)) {
      await stream.onDrain()
    }
  }
  await stream.close()
}, { runOnLimitedConnection: true })

node.addEventListener('connection:open', (event) => {
  console.log(`CONNECTED ${event.detail.remotePeer.toString()} ${event.detail.remoteAddr.toString()}`)
})

console.log(`LISTEN ${node.getMultiaddrs()[0].toString()}`)

const oneLine = (err) => String(err?.message ?? err).replace(/\n/g, ' ')

async function reserve (relay) {
  await node.dial(multiaddr(relay))
  await node.components.transportManager.listen([multiaddr(`${relay}/p2p-circuit`)])
  for (let i = 0; i < 200; i++) {
    const circuit = node.getMultiaddrs().find((ma) => ma.toString().includes('/p2p-circuit'))
    if (circuit != null) {
      return circuit.toString()
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('no circuit address after 20 s')
}

async function echo (address, text) {
  const stream = await node.dialProtocol(multiaddr(address), '/hyphae/test/echo/1.0.0', { runOnLimitedConnection: true })
  stream.send(new TextEncoder().encode(text))
  await stream.close()
  const chunks = []
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
  }
  return Buffer.concat(chunks).toString('utf8')
}

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  const [command, argument, ...rest] = line.trim().split(' ')
  try {
    if (command === 'RESERVE') {
      console.log(`RESERVED ${await reserve(argument)}`)
    } else if (command === 'PING') {
      const rtt = await node.services.ping.ping(multiaddr(argument), { runOnLimitedConnection: true })
      console.log(`PING-OK ${rtt}`)
    } else if (command === 'ECHO') {
      console.log(`ECHO-OK ${await echo(argument, rest.join(' '))}`)
    }
  } catch (err) {
    console.log(`${command}-ERR ${oneLine(err)}`)
  }
}
await node.stop()
