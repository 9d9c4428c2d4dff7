// Prism SDK: the events a PrismClient emits and the listener registry behind on()/off()/emit.

/** Event names {@link PrismClient#on} accepts, with their listener arguments (see docs/SDK.md). */
export const EVENTS = Object.freeze([
  'participantJoined', // (participant)
  'participantLeft', // (participant, reason)
  'trackPublished', // (track, participant)            local or remote: check participant.isLocal
  'trackUnpublished', // (track, participant)
  'trackSubscribed', // (track, participant)           track.mediaStreamTrack is set
  'trackUnsubscribed', // (track, participant)
  'trackMuted', // (track, participant)                 track.muted is the new state; local or remote
  'speakersChanged', // ({speakers, dominantId, dominant})  who speaks, loudest first (server-detected)
  'stateChanged', // (state, previousState)    'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected'
  'reconnecting', // ({code, reason, cause, delayMs?})   cause 'drop': the socket dropped, media keeps flowing meanwhile;
  //                                                    'migrate': joining afresh at once; 'shutdown': after delayMs
  'reconnectAttempt', // ({attempt, resume, ms, previousCode}) a reconnect attempt's socket is opening: its number,
  //                                                    whether it presents the resume token, ms since the drop, and the
  //                                                    close code of the socket before it (the drop or the last attempt)
  'reconnected', // ({resumed, ms, attempts, cause})    resumed: same session, nobody noticed; else joined afresh
  'migrate', // ({reason, message})                     the server moves the room: the client joins again at once
  'shutdown', // ({reason, message, rejoinInMs})        the server shut down; rejoinInMs null: no rejoin (terminal)
  'iceRestart', // ({phase, cause})                    an ICE restart's progress: 'detected' (the path died), 'started',
  //                                                    'publisherAnswered', 'acknowledged', 'subscriberAnswered', 'done';
  //                                                    cause 'stall', 'network', 'ice', 'resume' or 'app'
  'repair', // ({track, participant, issue, action})    expected media was missing and the server repaired it
  'dataReceived', // ({payload, from, fromServer, participant}) an in-room data message (sendData, or the server API's)
  'permissionsChanged', // ({canPublish, canSubscribe, canData}) the server API changed this participant's grants
  'participantMetadata', // ({participantId, metadata, participant}) the server API set someone's metadata
  'roomMetadata', // ({metadata})                       the server API set the room's metadata
  'error', // (PrismError)                              errors not tied to a call the app awaits
  'disconnected', // ({code, reason, wasClean, left, leftReason})
]);

/**
 * Listeners by event name. A listener that throws is logged and never breaks the client or the other listeners;
 * an `error` nobody listens to is logged as a warning.
 */
export class Emitter {
  constructor() {
    /** event -> Set of listeners, called in registration order */
    this._listeners = new Map();
  }

  /** @returns {() => void} a function that removes the listener */
  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError('listener must be a function');
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(fn);
    return () => this.off(event, fn);
  }

  off(event, fn) {
    this._listeners.get(event)?.delete(fn);
  }

  emit(event, ...args) {
    const listeners = this._listeners.get(event);
    if (event === 'error' && (!listeners || listeners.size === 0)) {
      console.warn('prism:', args[0]);
      return;
    }
    for (const fn of listeners ? [...listeners] : []) {
      try {
        fn(...args);
      } catch (e) {
        console.error(`prism: '${event}' listener threw`, e);
      }
    }
  }
}
