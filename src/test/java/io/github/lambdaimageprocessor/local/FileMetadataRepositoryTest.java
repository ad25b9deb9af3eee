package io.github.lambdaimageprocessor.local;

import java.nio.file.Path;
import java.util.List;

import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.MetadataRepositoryContract;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class FileMetadataRepositoryTest extends MetadataRepositoryContract {

    @TempDir
    Path folder;

    private final JsonMapper json = JsonMapper.builder().build();

    private FileMetadataRepository repository;

    @BeforeEach
    void createRepository() {
        repository = new FileMetadataRepository(folder, json);
    }

    @Override
    protected MetadataRepository repository() {
        return repository;
    }

    @Test
    void aConditionalSaveWaitsForAnotherProcessHoldingTheRecordAndSeesWhatItWrote() throws Exception {
        // another process on the same folder (the backfill command beside the app) holds the record's stripe and,
        // half a second later, writes a later version
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), OtherProcess.class.getName(), folder.toString())
            .redirectErrorStream(true)
            .start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(other.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("holding");

            boolean saved = repository.save(version("shared.jpg", "etag-1", "0A"));

            assertThat(saved).as("the earlier version, saved after the other process wrote the later one").isFalse();
            assertThat(repository.find(version("shared.jpg", "x", "0B").source().ref()).orElseThrow().version()
                .sequencer()).isEqualTo("0B");
            assertThat(other.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).as(out.lines().toList().toString()).isZero();
        }
        finally {
            other.destroyForcibly();
            repository.close();
        }
    }

    /** The other process: holds the stripe of {@code uploads/shared.jpg}, says so, waits, then writes version 0B. */
    static final class OtherProcess {

        public static void main(String[] args) throws Exception {
            try (FileMetadataRepository other = new FileMetadataRepository(Path.of(args[0]),
                    JsonMapper.builder().build())) {
                ProcessedImage later = version("shared.jpg", "etag-2", "0B");
                other.whileLocked(later.source().ref(), () -> {
                    System.out.println("holding");
                    System.out.flush();
                    try {
                        Thread.sleep(500);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    other.write(later);
                    return null;
                });
            }
        }
    }

    /** The file of the one record whose key holds {@code name}. */
    private Path recordFileOf(String name) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
            List<Path> records = files.filter(f -> f.toString().endsWith(".json")).toList();
            for (Path file : records) {
                if (java.nio.file.Files.readString(file).contains(name)) {
                    return file;
                }
            }
        }
        throw new AssertionError("no record file holds " + name);
    }

    @Test
    void aDamagedRecordFileCostsItsOwnRecordNotTheListing() throws Exception {
        ProcessedImage kept = processed("kept.jpg");
        repository.save(kept);
        repository.save(processed("damaged.jpg"));
        java.nio.file.Files.write(recordFileOf("damaged.jpg"), new byte[0]); // cut short, as by a power loss

        assertThat(repository.findRecent(10, null).items()).containsExactly(kept);
    }

    /**
     * A record file whose content is damaged (edited by hand, cut short by a power loss) is set aside, kept beside the
     * records for inspection: its key had answered 500 to every status request, thumbnail request and upload for good,
     * the upload after replacing the stored object. The key now has no record, so its next upload or backfill makes
     * one.
     */
    @Test
    void aDamagedRecordFileIsSetAsideSoItsKeyCanBeProcessedAgain() throws Exception {
        ProcessedImage damaged = processed("damaged.jpg");
        repository.save(damaged);
        Path file = recordFileOf("damaged.jpg");
        byte[] content = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.write(file, java.util.Arrays.copyOf(content, content.length / 2));

        assertThat(repository.find(damaged.source().ref())).isEmpty();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                .anySatisfy(name -> assertThat(name).startsWith(file.getFileName() + ".damaged-"));
        }
        ProcessedImage again = processed("damaged.jpg");
        assertThat(repository.save(again)).isTrue();
        assertThat(repository.find(damaged.source().ref())).contains(again);
    }

    @Test
    void aRecordFileThatCannotBeReadCostsItsOwnRecordNotTheListing() throws Exception {
        // a file the app may not read (written by a backfill run as another user with umask 077) fails with
        // AccessDeniedException; tests run as root, who reads any file, so the same failure of one file comes from a
        // folder where the record should be
        ProcessedImage kept = processed("kept.jpg");
        repository.save(kept);
        repository.save(processed("unreadable.jpg"));
        Path file = recordFileOf("unreadable.jpg");
        java.nio.file.Files.delete(file);
        java.nio.file.Files.createDirectory(file);

        assertThat(repository.findRecent(10, null).items()).containsExactly(kept);
    }

    @Test
    void recordsSurviveARestart() {
        ProcessedImage image = processed("durable.jpg");
        new FileMetadataRepository(folder, json).save(image);

        MetadataRepository afterRestart = new FileMetadataRepository(folder, JsonMapper.builder().build());

        assertThat(afterRestart.find(image.source().ref())).contains(image);
    }

    @Test
    void readsARecordOfTheEarlierFormatWithItsVersionUnknown() throws Exception {
        // given a record as releases before ObjectVersion was one type wrote it: the version strings flat in "event"
        ProcessedImage image = processed("legacy.jpg");
        repository.save(image);
        Path file;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
            file = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String legacy = java.nio.file.Files.readString(file)
            .replace("\"event\":null", "\"event\":{\"eTag\":\"e1\",\"versionId\":null,\"sequencer\":\"0A\",\"requestId\":\"r-1\"}");
        assertThat(legacy).contains("\"sequencer\":\"0A\"");
        java.nio.file.Files.writeString(file, legacy);

        // when
        ProcessedImage read = repository.find(image.source().ref()).orElseThrow();

        // then it still reads (deliberately: local records are development data, not migrated), without a version,
        // so the next event for this key is processed once more and recorded in the current format
        assertThat(read.status()).isEqualTo(image.status());
        assertThat(read.event().requestId()).isEqualTo("r-1");
        assertThat(read.version().unknown()).isTrue();
    }
}
