/**
 * Start-up configuration of the launcher: {@link dev.prism.signaling.config.CommandLine} turns {@code main}'s
 * arguments, the environment and an optional JSON file into a {@link dev.prism.core.config.PrismConfig}, or a
 * {@link dev.prism.signaling.config.UsageException} whose message says which option, variable or key is wrong.
 */
package dev.prism.signaling.config;
