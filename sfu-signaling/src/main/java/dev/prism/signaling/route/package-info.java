/** Where a room's signaling session runs (seams between signaling and the launcher's cluster mode). */
package dev.prism.signaling.route;
