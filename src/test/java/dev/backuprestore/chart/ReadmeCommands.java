package dev.backuprestore.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shell commands a README section shows: its fenced {@code bash} blocks, in order. */
final class ReadmeCommands {
  private ReadmeCommands() {}

  /** The {@code ```bash} blocks between the heading {@code "## " + title} and the next heading. */
  static List<String> bashBlocks(Path readme, String title) {
    String text;
    try {
      text = Files.readString(readme);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String heading = "\n## " + title + "\n";
    int start = text.indexOf(heading);
    if (start < 0) {
      throw new AssertionError(readme + " has no section '" + title + "'");
    }
    int end = text.indexOf("\n## ", start + heading.length());
    String section = text.substring(start, end < 0 ? text.length() : end);
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    for (String line : section.lines().toList()) {
      if (block == null && line.equals("```bash")) {
        block = new StringBuilder();
      } else if (block != null && line.equals("```")) {
        blocks.add(block.toString());
        block = null;
      } else if (block != null) {
        block.append(line).append('\n');
      }
    }
    if (block != null) {
      throw new AssertionError("an unclosed ```bash block in '" + title + "' of " + readme);
    }
    return blocks;
  }
}
