// A js-libp2p peer running @libp2p/kad-dht as a DHT server, for the DHT interop tests.
//   node kad-peer.mjs <dht protocol id>
// It listens on loopback, prints
//   LISTEN <multiaddr>/p2p/<id>
// and then obeys one command per line on stdin:
//   DIAL <multiaddr>  -> DIAL-OK | DIAL-ERR <message>
//   TABLE <peer id>   -> TABLE-HAS <routing table size> once the peer is in the routing table
//   FIND <peer id>    -> FOUND <multiaddr> ... | FIND-ERR <message>
//   GET <key as hex>  -> VALUE <value as hex> | GET-ERR <message>
//   PROVIDE <multihash as hex>  -> PROVIDE-OK | PROVIDE-ERR <message>
//   FINDPROV <multihash as hex> -> PROVIDERS <peer id>... | FINDPROV-ERR <message>
// Records in the /hyphae/ namespace are accepted when non-empty: this test peer does not check
// Hyphae's signatures, it only lets the namespace through js's validation.
import './with-resolvers.mjs'
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'

const protocol = process.argv[2] ?? '/ipfs/kad/1.0.0'

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { allow: ['/ip4/127.0.0.1'] },
  services: {
    identify: identify(),
    ping: ping(),
    // a DHT server on loopback: keep private addresses and answer queries
    dht: kadDHT({
      protocol,
      clientMode: false,
      peerInfoMapper: passthroughMapper,
      validators: {
        hyphae: async (key, value) => {
          if (value.length === 0) throw new Error('empty hyphae record')
        }
      },
      selectors: { hyphae: () => 0 }
    })
  }
})

console.log(`LISTEN ${node.getMultiaddrs()[0].toString()}`)

// provider keys are multihashes; js takes them as CIDs (raw codec)
const cidOf = (hex) => CID.createV1(0x55, Digest.decode(Buffer.from(hex, 'hex')))

const oneLine = (err) => String(err?.message ?? err).replace(/\n/g, ' ')

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  const [command, argument] = line.trim().split(' ')
  try {
    if (command === 'DIAL') {
      await node.dial(multiaddr(argument))
      console.log('DIAL-OK')
    } else if (command === 'TABLE') {
      const id = peerIdFromString(argument)
      const table = node.services.dht.routingTable
      for (let i = 0; i < 200 && (await table.find(id)) == null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      console.log(`TABLE-HAS ${table.size}`)
    } else if (command === 'FIND') {
      const id = peerIdFromString(argument)
      let found = null
      for await (const event of node.services.dht.findPeer(id, { signal: AbortSignal.timeout(20000) })) {
        if (event.name === 'FINAL_PEER' && event.peer.id.equals(id)) {
          found = event.peer
          break
        }
      }
      if (found == null) {
        console.log('FIND-ERR not found')
      } else {
        console.log(`FOUND ${found.multiaddrs.map((a) => a.toString()).join(' ')}`)
      }
    } else if (command === 'GET') {
      let value = null
      for await (const event of node.services.dht.get(Buffer.from(argument, 'hex'), { signal: AbortSignal.timeout(20000) })) {
        if (event.name === 'VALUE') {
          value = event.value
        }
      }
      console.log(value == null ? 'GET-ERR not found' : `VALUE ${Buffer.from(value).toString('hex')}`)
    } else if (command === 'PROVIDE') {
      for await (const event of node.services.dht.provide(cidOf(argument), { signal: AbortSignal.timeout(20000) })) {
        void event
      }
      console.log('PROVIDE-OK')
    } else if (command === 'FINDPROV') {
      const found = new Set()
      for await (const event of node.services.dht.findProviders(cidOf(argument), { signal: AbortSignal.timeout(20000) })) {
        if (event.name === 'PROVIDER') {
          event.providers.forEach((p) => found.add(p.id.toString()))
        }
      }
      console.log(found.size === 0 ? 'FINDPROV-ERR none' : `PROVIDERS ${[...found].join(' ')}`)
    }
  } catch (err) {
    console.log(`${command}-ERR ${oneLine(err)}`)
  }
}
await node.stop()
