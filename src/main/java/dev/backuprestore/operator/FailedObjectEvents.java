package dev.backuprestore.operator;

import dev.backuprestore.restore.PlannedObject;
import dev.backuprestore.restore.RestoreObserver;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects every object a restore could not restore (the status keeps only the first few and a
 * count) and reports them all as Warning Events {@value #REASON} on the Restore, where {@code
 * kubectl get events} finds them without the operator's logs. Objects are packed one per line,
 * several per Event, so that thousands of failures cost a few hundred API calls, not thousands; an
 * object's line is never split across Events. Hears the engine's worker threads: thread-safe.
 */
final class FailedObjectEvents implements RestoreObserver {
  static final String REASON = "RestoreObjectFailed";

  /** The API server's limit on an Event's message. */
  static final int MAX_MESSAGE = 1024;

  /** Object description → failure message; an object failed twice (a retried pass) counts once. */
  private final Map<String, String> failed = new ConcurrentHashMap<>();

  @Override
  public void object(PlannedObject object, Outcome outcome, String detail, int statusCode) {
    if (outcome == Outcome.FAILED) {
      failed(object.describe(), detail);
    }
  }

  void failed(String object, String message) {
    failed.put(object, message == null ? "" : message);
  }

  int count() {
    return failed.size();
  }

  /** Records the Events; nothing when no object failed. */
  void record(HasMetadata restore, EventRecorder events) {
    for (String message : messages(MAX_MESSAGE)) {
      events.warning(restore, REASON, message);
    }
  }

  /**
   * The Event messages, each at most {@code limit} characters: a header (the count in the first,
   * the part number in each) then one line per object, sorted by object.
   */
  List<String> messages(int limit) {
    Map<String, String> sorted = new TreeMap<>(failed);
    int total = sorted.size();
    if (total == 0) {
      return List.of();
    }
    // Every header is at most as long as this one (the number of parts is at most the count).
    int headerRoom = header(total, total, total).length() + 1;
    int room = limit - headerRoom;
    List<StringBuilder> parts = new ArrayList<>();
    StringBuilder part = null;
    for (Map.Entry<String, String> entry : sorted.entrySet()) {
      String line = line(entry.getKey(), entry.getValue(), room);
      if (part == null || part.length() + 1 + line.length() > room) {
        part = new StringBuilder(line);
        parts.add(part);
      } else {
        part.append('\n').append(line);
      }
    }
    List<String> messages = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      messages.add(header(total, i + 1, parts.size()) + "\n" + parts.get(i));
    }
    return messages;
  }

  private static String header(int total, int part, int parts) {
    return (part == 1
            ? total + (total == 1 ? " object" : " objects") + " could not be restored"
            : "Objects that could not be restored, continued")
        + " ("
        + part
        + "/"
        + parts
        + "):";
  }

  /**
   * "configmaps ns/name: reason" on one line; only a reason too long for a whole Event is
   * shortened, never the object's name.
   */
  private static String line(String object, String message, int room) {
    String reason = message.replaceAll("\\s+", " ").trim();
    String line = reason.isEmpty() ? object : object + ": " + reason;
    if (line.length() <= room) {
      return line;
    }
    int keep = Math.max(object.length(), room - 3);
    return line.substring(0, Math.min(keep, line.length())) + "...";
  }
}
