/**
 * Start-up configuration of the launcher: {@link dev.prism.server.config.CommandLine} turns {@code main}'s
 * arguments (parsed by picocli), the environment and an optional JSON file ({@code ConfigFile}) into a
 * {@link dev.prism.core.config.PrismConfig}, or a {@link dev.prism.server.config.UsageException} whose message says
 * which option, variable or key is wrong. Each setting is declared once, in {@code Setting}: its option, variable, file
 * key, help text and builder method.
 */
package dev.prism.server.config;
