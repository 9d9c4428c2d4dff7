/**
 * Node settings: the immutable {@link dev.prism.core.config.PrismConfig}, DNS-free address checks
 * ({@link dev.prism.core.config.IpLiteral}) and the choice of the address written into ICE candidates
 * ({@link dev.prism.core.config.AdvertiseAddress}). Read once at start-up; everything here is immutable or stateless.
 */
package dev.prism.core.config;
