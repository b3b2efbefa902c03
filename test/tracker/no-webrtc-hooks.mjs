// Module hooks for specs that use bittorrent-tracker's Client: its WebSocket tracker pulls in
// webrtc-polyfill, whose native node-datachannel build is not installed (package.json
// allowScripts). The UDP and HTTP trackers need no WebRTC, so an empty module stands in.
const STUB = [
  'RTCPeerConnection', 'RTCSessionDescription', 'RTCIceCandidate', 'RTCIceTransport', 'RTCDataChannel',
  'RTCSctpTransport', 'RTCDtlsTransport', 'RTCCertificate',
].map((name) => `export const ${name} = undefined;`).join('\n') + '\nexport default {};';

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'webrtc-polyfill') {
    return { url: `data:text/javascript,${encodeURIComponent(STUB)}`, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
