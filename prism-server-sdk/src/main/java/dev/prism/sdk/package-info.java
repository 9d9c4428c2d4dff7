/**
 * Prism's server SDK for JVM backends (docs/SERVER-SDK.md): {@link dev.prism.sdk.PrismTokens} mints participants'
 * access tokens and server API tokens, {@link dev.prism.sdk.PrismApi} calls a node's {@code /api/v1}, and
 * {@link dev.prism.sdk.WebhookVerifier} checks and reads the webhooks a node posts.
 *
 * <p>Depends on the JDK only (java.net.http, javax.crypto and {@link dev.prism.sdk.Json}, its own small JSON codec),
 * never on Prism's server modules, so a backend adds one small jar (ModuleLayeringTest in prism-server checks it).
 * Every class is thread-safe except the {@link dev.prism.sdk.ParticipantToken} builder.
 */
package dev.prism.sdk;
