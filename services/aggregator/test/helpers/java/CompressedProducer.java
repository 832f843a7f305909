// A trust's producer as Kafka's own Java client builds it, for tests: sends the records given on
// standard input (one per line: base64 key, base64 value) to a topic with a compression type
// (none, gzip, snappy, lz4, zstd) and the client's default partitioner, in as few record batches
// as it can, then prints "sent N". Run with the broker's classpath in source-file mode:
//   java -cp <kafka classpath> CompressedProducer.java <bootstrap> <topic> <compression>
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
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, args[2]);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Hold records for a moment so each partition's records share a compressed batch.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "200");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    Base64.Decoder base64 = Base64.getDecoder();
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank()) continue;
        String[] parts = line.trim().split(" ");
        sends.add(producer.send(
            new ProducerRecord<>(args[1], base64.decode(parts[0]), base64.decode(parts[1]))));
      }
      producer.flush();
      for (Future<RecordMetadata> send : sends) send.get();
    }
    System.out.println("sent " + sends.size());
  }
}
