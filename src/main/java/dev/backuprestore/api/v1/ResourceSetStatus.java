package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreType;

/**
 * Placeholder status of a ResourceSet. Rancher's CRD declares the status subresource for
 * ResourceSet but no status field; the CRD generator emits the subresource only for a non-Void
 * status type. It is never serialized, and ResourceSet leaves it out of the schema.
 */
@JsonIgnoreType
public final class ResourceSetStatus {}
