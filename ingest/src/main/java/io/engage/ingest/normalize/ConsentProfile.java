package io.engage.ingest.normalize;

/**
 * What normalisation keeps of a {@code participants} record: consent and the IANA zone (null when the profile
 * has none). Nothing else of the profile is held by the normaliser.
 */
public record ConsentProfile(boolean consent, String zoneId) {}
