// A trust's producer as Kafka's own Java client builds it, for tests: sends the records given on
// standard input (one per line: compression, base64 key, base64 value) to a topic, each run of
// consecutive lines with one compression type (none, gzip, snappy, lz4, zstd) by a producer of
// its own with the client's default partitioner, in as few record batches as it can; each run is
// acknowledged before the next starts. Then prints "sent N". One JVM serves every compression.
// Run with the broker's classpath in source-file mode:
//   java -cp <kafka classpath> CompressedProducer.java <bootstrap> <topic>
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class CompressedProducer {
  private record Line(String compression, byte[] key, byte[] value) {}

  public static void main(String[] args) throws Exception {
    Base64.Decoder base64 = Base64.getDecoder();
    List<Line> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank()) continue;
        String[] parts = line.trim().split(" ");
        lines.add(new Line(parts[0], base64.decode(parts[1]), base64.decode(parts[2])));
      }
    }
    int sent = 0;
    for (int start = 0; start < lines.size(); ) {
      String compression = lines.get(start).compression();
      int end = start;
      while (end < lines.size() && lines.get(end).compression().equals(compression)) end++;
      sent += send(args[0], args[1], compression, lines.subList(start, end));
      start = end;
    }
    System.out.println("sent " + sent);
  }

  /** Sends `lines` with one producer compressing with `compression`; returns once all are acked. */
  private static int send(String bootstrap, String topic, String compression, List<Line> lines)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Hold records for a moment so each partition's records share a compressed batch.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "200");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (Line line : lines)
        sends.add(producer.send(new ProducerRecord<>(topic, line.key(), line.value())));
      producer.flush();
      for (Future<RecordMetadata> send : sends) send.get();
    }
    return sends.size();
  }
}
