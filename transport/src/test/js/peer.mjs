// A js-libp2p peer for the transport interop tests. It listens on loopback, prints
//   LISTEN <multiaddr>/p2p/<id>
// and then obeys one command per line on stdin:
//   PING <multiaddr>   -> PING-OK <rtt ms> | PING-ERR <message>
// and echoes on /hyphae/test/echo/1.0.0. On /hyphae/test/sink/1.0.0 it counts the bytes until the
// remote half-closes, then answers with the count as an 8-byte big-endian number (benchmarks).
// It reports CONNECTED <peer id> for every new connection.
import './with-resolvers.mjs'
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { allow: ['/ip4/127.0.0.1'] },
  services: { identify: identify(), ping: ping() }
})

// Echoes every byte back, respecting backpressure, and half-closes after the remote has.
await node.handle('/hyphae/test/echo/1.0.0', async (stream) => {
  for await (const chunk of stream) {
    if (!stream.send(chunk)) {
      await stream.onDrain()
    }
  }
  await stream.close()
})

await node.handle('/hyphae/test/sink/1.0.0', async (stream) => {
  let count = 0n
  for await (const chunk of stream) {
    count += BigInt(chunk.byteLength)
  }
  const reply = new Uint8Array(8)
  new DataView(reply.buffer).setBigUint64(0, count)
  stream.send(reply)
  await stream.close()
})

node.addEventListener('connection:open', (event) => {
  console.log(`CONNECTED ${event.detail.remotePeer.toString()}`)
})

console.log(`LISTEN ${node.getMultiaddrs()[0].toString()}`)

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  const [command, argument] = line.trim().split(' ')
  if (command === 'PING') {
    try {
      const rtt = await node.services.ping.ping(multiaddr(argument))
      console.log(`PING-OK ${rtt}`)
    } catch (err) {
      console.log(`PING-ERR ${String(err.message ?? err).replace(/\n/g, ' ')}`)
    }
  }
}
await node.stop()
