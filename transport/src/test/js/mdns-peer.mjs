// A js-libp2p peer with @libp2p/mdns for the mDNS interop test. Usage: node mdns-peer.mjs <udp port>
// It listens on loopback, prints LISTEN <multiaddr>/p2p/<id>, then for every peer mDNS reports
//   DISCOVERED <peer id> <multiaddr>...
// and dials it, printing CONNECTED <peer id> for every new connection. It exits when stdin closes.
//
// @libp2p/mdns hands multicast-dns no interface, so it would multicast on the default route. The
// test must stay on loopback, so the discovery's socket is made here, bound to the group's port and
// multicasting on 127.0.0.1 only; the queries, answers and parsing are @libp2p/mdns's own.
import './with-resolvers.mjs'
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { mdns } from '@libp2p/mdns'
import multicastDNS from 'multicast-dns'
import { multiaddr } from '@multiformats/multiaddr'

const port = Number(process.argv[2])
const serviceTag = '_p2p._udp.local'

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { allow: ['/ip4/127.0.0.1'] },
  services: { identify: identify(), ping: ping() }
})

node.addEventListener('connection:open', (event) => {
  console.log(`CONNECTED ${event.detail.remotePeer.toString()}`)
})

const quiet = Object.assign(() => {}, { trace: () => {}, error: () => {}, enabled: false })
const discovery = mdns({ port, serviceTag })({
  addressManager: { getAddresses: () => node.getMultiaddrs() },
  logger: { forComponent: () => quiet }
})
discovery.mdns = multicastDNS({ port, ip: '224.0.0.251', interface: '127.0.0.1', bind: '0.0.0.0' })
discovery.mdns.on('query', discovery._onMdnsQuery)
discovery.mdns.on('response', discovery._onMdnsResponse)
discovery.addEventListener('peer', (event) => {
  const { id, multiaddrs } = event.detail
  console.log(`DISCOVERED ${id.toString()} ${multiaddrs.map(String).join(' ')}`)
  if (node.getConnections(id).length === 0 && multiaddrs.length > 0) {
    node.dial(multiaddr(`${multiaddrs[0].toString()}/p2p/${id.toString()}`)).catch((err) => {
      console.log(`DIAL-ERR ${String(err.message ?? err).replace(/\n/g, ' ')}`)
    })
  }
})
const ask = () => discovery.mdns.query({ questions: [{ name: serviceTag, type: 'PTR' }] })
ask()
const timer = setInterval(ask, 500)

console.log(`LISTEN ${node.getMultiaddrs()[0].toString()}`)

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  void line
}
clearInterval(timer)
await new Promise((resolve) => discovery.mdns.destroy(resolve))
await node.stop()
