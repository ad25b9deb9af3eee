import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Drives a running app's POST /images with N uploads from C concurrent clients (good photos, duplicates of the same
 * key, bad files), then proves from the app's HTTP routes and its data folder that every good key has exactly one
 * thumbnail and one PROCESSED record, every bad key one REJECTED record, and nothing was lost.
 *
 * <p>Run by bench/load-test.sh: {@code java bench/LoadTest.java <baseUrl> <dataRoot> <corpusDir> <uploads> <clients>}.
 */
public class LoadTest {

    record Upload(String key, Path file, boolean good) {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        Path root = Path.of(args[1]);
        Path corpus = Path.of(args[2]);
        int uploads = Integer.parseInt(args[3]);
        int clients = Integer.parseInt(args[4]);
        String run = "load-" + UUID.randomUUID().toString().substring(0, 8);

        List<Path> photos = list(corpus.resolve("valid"), corpus.resolve("orientation"), corpus.resolve("progressive"));
        List<Path> bad = List.of(corpus.resolve("not-jpeg/plain-text.jpg"), corpus.resolve("not-jpeg/png-1x1.jpg"),
                corpus.resolve("malformed/empty-0-bytes.jpg"), corpus.resolve("malformed/missing-sof.jpg"),
                corpus.resolve("bomb/claims-65535x65535-186-bytes.jpg"));
        Random random = new Random(42);
        List<Upload> plan = new ArrayList<>();
        int goodKeys = 0;
        while (plan.size() < uploads) {
            int kind = random.nextInt(10);
            if (kind < 2) {
                // a bad file
                plan.add(new Upload(run + "/bad-" + plan.size() + ".jpg", bad.get(random.nextInt(bad.size())), false));
            }
            else {
                Upload good = new Upload(run + "/photo-" + goodKeys++ + ".jpg", photos.get(random.nextInt(photos.size())),
                        true);
                plan.add(good);
                if (kind < 4 && plan.size() < uploads) {
                    // the same upload again: must not multiply anything
                    plan.add(good);
                }
            }
        }
        Collections.shuffle(plan, random);

        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (Upload upload : plan) {
            sent.add(pool.submit(() -> {
                int status = post(http, base, upload);
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;

        Map<String, Upload> byKey = new TreeMap<>();
        plan.forEach(u -> byKey.put(u.key(), u));
        List<String> failures = new ArrayList<>();
        int processed = 0;
        int rejected = 0;
        for (Upload upload : byKey.values()) {
            HttpResponse<String> record = http.send(HttpRequest.newBuilder(base.resolve("/images/" + encode(upload.key())))
                .build(), HttpResponse.BodyHandlers.ofString());
            String status = field(record.body(), "status");
            if (record.statusCode() != 200) {
                failures.add(upload.key() + ": no record (HTTP " + record.statusCode() + ")");
            }
            else if (upload.good() && !"PROCESSED".equals(status)) {
                failures.add(upload.key() + ": expected PROCESSED, record says " + status);
            }
            else if (!upload.good() && !"REJECTED".equals(status)) {
                failures.add(upload.key() + ": expected REJECTED, record says " + status);
            }
            else if (upload.good()) {
                processed++;
                HttpResponse<byte[]> thumbnail = http.send(HttpRequest.newBuilder(
                        base.resolve("/thumbnails/" + encode(upload.key()))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (thumbnail.statusCode() != 200 || thumbnail.body().length < 100) {
                    failures.add(upload.key() + ": thumbnail missing (HTTP " + thumbnail.statusCode() + ")");
                }
            }
            else {
                rejected++;
            }
        }
        long goodDistinct = byKey.values().stream().filter(Upload::good).count();
        long thumbnailFiles = countFiles(root.resolve("processed/thumbnails/" + run));
        if (thumbnailFiles != goodDistinct) {
            failures.add("expected " + goodDistinct + " thumbnail files, found " + thumbnailFiles);
        }
        long uploadFiles = countFiles(root.resolve("uploads/" + run));
        if (uploadFiles != byKey.size()) {
            failures.add("expected " + byKey.size() + " uploaded objects, found " + uploadFiles);
        }

        System.out.printf("uploads sent      %d (%d distinct keys: %d good, %d bad; %d repeated uploads)%n",
                plan.size(), byKey.size(), goodDistinct, byKey.size() - goodDistinct, plan.size() - byKey.size());
        System.out.printf("clients           %d%n", clients);
        System.out.printf("wall time         %.1f s (%.1f uploads/s)%n", seconds, plan.size() / seconds);
        System.out.printf("HTTP statuses     %s%n", new TreeMap<>(statuses));
        System.out.printf("records           %d PROCESSED, %d REJECTED%n", processed, rejected);
        System.out.printf("thumbnail files   %d for %d good keys%n", thumbnailFiles, goodDistinct);
        if (!failures.isEmpty()) {
            failures.stream().limit(20).forEach(f -> System.out.println("FAILED: " + f));
            System.out.println("load test FAILED: " + failures.size() + " problems");
            System.exit(1);
        }
        System.out.println("load test passed: every good upload has exactly one thumbnail and one record, "
                + "every bad one a REJECTED record, none lost");
        System.exit(0);
    }

    static int post(HttpClient http, URI base, Upload upload) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n" + upload.key()
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/images"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                    HttpRequest.BodyPublishers.ofFile(upload.file()), HttpRequest.BodyPublishers.ofByteArray(tail)))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static List<Path> list(Path... folders) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : folders) {
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(p -> p.toString().endsWith(".jpg")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    static long countFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".tmp-")).count();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
