package dev.backuprestore.etcd.client;

import java.util.List;

/**
 * One member's Maintenance/Status.
 *
 * @param clusterId cluster ID from the response header
 * @param memberId this member's ID
 * @param revision the current revision (header)
 * @param version server version, e.g. 3.6.6
 * @param storageVersion storage version, e.g. 3.6.0
 * @param dbSize backend size in bytes
 * @param dbSizeInUse backend bytes in use
 * @param dbSizeQuota backend quota in bytes (0 when not reported)
 * @param leader the leader's member ID as this member sees it (0 = none)
 * @param raftIndex raft index
 * @param raftTerm raft term
 * @param raftAppliedIndex the applied raft index
 * @param errors errors the member reports (e.g. a NOSPACE alarm)
 * @param learner whether this member is a learner
 */
public record EtcdStatus(
    long clusterId,
    long memberId,
    long revision,
    String version,
    String storageVersion,
    long dbSize,
    long dbSizeInUse,
    long dbSizeQuota,
    long leader,
    long raftIndex,
    long raftTerm,
    long raftAppliedIndex,
    List<String> errors,
    boolean learner) {}
