package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FailedObjectEventsTest {
  private static String object(int i) {
    return "configmaps ns-" + (i % 7) + "/cm-" + i;
  }

  private static String reason(int i) {
    return "422 Invalid: ConfigMap \"cm-"
        + i
        + "\" is invalid: data[not a valid key!]: Invalid value";
  }

  /** The object lines of the messages, without their headers. */
  private static List<String> lines(List<String> messages) {
    List<String> lines = new ArrayList<>();
    for (String message : messages) {
      List<String> all = message.lines().toList();
      lines.addAll(all.subList(1, all.size()));
    }
    return lines;
  }

  @Test
  void packsTenThousandObjectsIntoFewEventsOfAtMost1024CharactersEachObjectOnce() throws Exception {
    FailedObjectEvents events = new FailedObjectEvents();
    int count = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      int first = t;
      pool.execute(
          () -> {
            try {
              start.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            for (int i = first; i < count; i += 8) {
              events.failed(object(i), reason(i));
            }
          });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    List<String> messages = events.messages(FailedObjectEvents.MAX_MESSAGE);

    assertThat(events.count()).isEqualTo(count);
    assertThat(messages).allSatisfy(m -> assertThat(m.length()).isLessThanOrEqualTo(1024));
    assertThat(messages.size()).isLessThan(count / 5);
    assertThat(messages.get(0)).startsWith("10000 objects could not be restored (1/");
    assertThat(messages.get(1))
        .startsWith("Objects that could not be restored, continued (2/" + messages.size() + "):");
    assertThat(lines(messages))
        .hasSize(count)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, count).mapToObj(i -> object(i) + ": " + reason(i)).toList());
  }

  @Test
  void anObjectFailedInTwoPassesIsListedOnceAndNothingFailedMeansNoEvent() {
    FailedObjectEvents events = new FailedObjectEvents();
    assertThat(events.messages(1024)).isEmpty();

    events.failed("configmaps a/x", "500 first\nsecond line");
    events.failed("configmaps a/x", "500 again\nsecond line");
    events.failed("secrets a/y", null);

    assertThat(events.messages(1024))
        .containsExactly(
            "2 objects could not be restored (1/1):\n"
                + "configmaps a/x: 500 again second line\n"
                + "secrets a/y");
  }

  @Test
  void aReasonTooLongForAnEventIsShortenedButTheObjectKeepsItsWholeLine() {
    FailedObjectEvents events = new FailedObjectEvents();
    events.failed("configmaps a/long", "x".repeat(5000));
    events.failed("configmaps a/short", "no");

    List<String> messages = events.messages(200);

    assertThat(messages)
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.length()).isLessThanOrEqualTo(200));
    assertThat(lines(messages).get(0)).startsWith("configmaps a/long: xxx").endsWith("...");
    assertThat(lines(messages).get(1)).isEqualTo("configmaps a/short: no");
  }
}
