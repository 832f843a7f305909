package uk.nhs.icspulse.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;

/**
 * Reads ICS Pulse events with Apache Avro (Java) and nothing but the published .avsc files.
 *
 * <pre>
 *   fingerprints DIR   one line per schema file: file, CRC-64-AVRO as 16 hex digits, Java long
 *   decode DIR         stdin: one hex-encoded single-object message per line;
 *                      stdout: one JSON record per line, or "ERROR message"
 * </pre>
 *
 * DIR holds index.json (the manifest naming the current version) and the .avsc files.
 */
public final class AvroInterop {
  private AvroInterop() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: AvroInterop fingerprints|decode SCHEMA_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[1]);
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
    Map<Integer, Schema> schemas = new LinkedHashMap<>();
    Map<Integer, String> files = new LinkedHashMap<>();
    for (JsonNode entry : manifest.get("versions")) {
      String file = entry.get("file").asText();
      // One parser per file: every version defines the same names.
      Schema schema = new Schema.Parser().parse(Files.readString(dir.resolve(file)));
      schemas.put(entry.get("version").asInt(), schema);
      files.put(entry.get("version").asInt(), file);
    }
    switch (args[0]) {
      case "fingerprints" -> {
        for (Map.Entry<Integer, Schema> e : schemas.entrySet()) {
          long fp = SchemaNormalization.parsingFingerprint64(e.getValue());
          String hex = String.format("%016x", fp);
          System.out.println(files.get(e.getKey()) + "\t" + hex + "\t" + fp);
        }
      }
      case "decode" -> decode(schemas, schemas.get(manifest.get("current").asInt()));
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
  }

  private static void decode(Map<Integer, Schema> schemas, Schema current) throws Exception {
    SchemaStore.Cache store = new SchemaStore.Cache();
    schemas.values().forEach(store::addSchema);
    BinaryMessageDecoder<GenericRecord> decoder =
        new BinaryMessageDecoder<>(GenericData.get(), current, store);
    HexFormat hex = HexFormat.of();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      try {
        GenericRecord record = decoder.decode(hex.parseHex(line.trim()));
        System.out.println(GenericData.get().toString(record));
      } catch (Exception e) {
        System.out.println("ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }
}
