// Prism SDK, pure part: room state, subscription bookkeeping, request/reply matching and the timing decisions
// (reconnect schedule, media watch), reading a connection's selected candidate pair from its stats.
//
// Nothing here touches the DOM, WebRTC or a socket, so it runs unchanged under `node --test`
// (client-js/test/). prism-sdk.js feeds it server messages and receiver snapshots and turns the
// returned event lists into listener calls. See docs/PROTOCOL.md for the wire format and docs/SDK.md for the API.
// Each part lives in its own module; this one gathers them under the name the tests and older imports use.

export { PrismError } from './prism-error.js';
export { SOURCE_FOR_KIND, errorFromMessage, parseServerMessage, toParticipant, toTrack } from './wire.js';
export { RoomModel } from './room-model.js';
export { PendingRequests } from './pending-requests.js';
export { ReconnectSchedule } from './reconnect-schedule.js';
export { MediaWatch } from './media-watch.js';
export { familyOf, sameConnectionInfo, selectedConnectionInfo } from './connection-info.js';
export { FlowStall } from './flow-stall.js';
