package dev.backuprestore.etcd.restore;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The membership every member is restored with: etcd's rule is that all members restore the same
 * snapshot with the same {@code --initial-cluster}. The list comes from the snapshot's state file;
 * given members override it only when they match it, or when forced (new hosts, new addresses).
 *
 * @param members the full member list, in order
 * @param self this node's member
 */
public record MemberPlan(List<Member> members, Member self) {

  /** One member: its name and peer URL. */
  public record Member(String name, String peerUrl) {
    public Member {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(peerUrl, "peerUrl");
    }

    /** Parses {@code name=https://10.0.0.1:2380}. */
    public static Member parse(String text) {
      int equals = text.indexOf('=');
      if (equals <= 0 || equals == text.length() - 1) {
        throw new IllegalArgumentException("expected name=peerURL, got '" + text + "'");
      }
      String url = text.substring(equals + 1).trim();
      URI uri = URI.create(url);
      if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException(
            "peer URL of member "
                + text.substring(0, equals)
                + " needs scheme://host:port: "
                + url);
      }
      return new Member(text.substring(0, equals).trim(), url);
    }

    @Override
    public String toString() {
      return name + "=" + peerUrl;
    }
  }

  /** {@code --initial-cluster}: {@code m1=https://...,m2=https://...}. */
  public String initialCluster() {
    return String.join(",", members.stream().map(Member::toString).toList());
  }

  /**
   * @param recorded the members in the snapshot's state file (empty when the zip has none, e.g. an
   *     RKE1 zip)
   * @param given the members given on the command line (empty: take the recorded ones)
   * @param selfName this node's member name
   * @param force accept given members that differ from the recorded ones
   * @throws EtcdRestoreException when the lists differ without {@code force}, when neither is
   *     given, or when {@code selfName} is not a member
   */
  public static MemberPlan resolve(
      List<Member> recorded, List<Member> given, String selfName, boolean force) {
    List<Member> members;
    if (given.isEmpty()) {
      if (recorded.isEmpty()) {
        throw refusal(
            "the snapshot has no member list (no state file); give every member with --member"
                + " name=peerURL");
      }
      members = recorded;
    } else {
      requireUniqueNames(given);
      List<String> differences = differences(recorded, given);
      if (!recorded.isEmpty() && !differences.isEmpty() && !force) {
        throw refusal(
            "the given members do not match the snapshot's state file ("
                + String.join("; ", differences)
                + "); every member must be restored with the same list. Fix --member, or pass"
                + " --force-members when the cluster really moved to these members");
      }
      members = given;
    }
    Member self =
        members.stream()
            .filter(member -> member.name().equals(selfName))
            .findFirst()
            .orElseThrow(
                () ->
                    refusal(
                        "member "
                            + selfName
                            + " is not in the member list "
                            + members.stream().map(Member::name).toList()));
    return new MemberPlan(List.copyOf(members), self);
  }

  private static void requireUniqueNames(List<Member> given) {
    Map<String, Member> byName = new LinkedHashMap<>();
    for (Member member : given) {
      if (byName.put(member.name(), member) != null) {
        throw refusal("member " + member.name() + " is given twice");
      }
    }
  }

  private static List<String> differences(List<Member> recorded, List<Member> given) {
    Map<String, String> recordedUrls = new LinkedHashMap<>();
    recorded.forEach(member -> recordedUrls.put(member.name(), member.peerUrl()));
    Map<String, String> givenUrls = new LinkedHashMap<>();
    given.forEach(member -> givenUrls.put(member.name(), member.peerUrl()));
    List<String> differences = new ArrayList<>();
    for (var entry : recordedUrls.entrySet()) {
      String url = givenUrls.get(entry.getKey());
      if (url == null) {
        differences.add("member " + entry.getKey() + " of the snapshot is missing");
      } else if (!url.equals(entry.getValue())) {
        differences.add(
            "member "
                + entry.getKey()
                + " has peer URL "
                + url
                + ", the snapshot recorded "
                + entry.getValue());
      }
    }
    for (String name : givenUrls.keySet()) {
      if (!recordedUrls.containsKey(name)) {
        differences.add("member " + name + " is not in the snapshot");
      }
    }
    return differences;
  }

  private static EtcdRestoreException refusal(String message) {
    return new EtcdRestoreException(EtcdRestoreException.Step.MEMBERS, message);
  }
}
