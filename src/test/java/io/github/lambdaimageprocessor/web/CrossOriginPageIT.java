package io.github.lambdaimageprocessor.web;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.lambdaimageprocessor.TestFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code image-processor.uploads.allowed-origins} in a real browser, across two origins: a page served from a second
 * server on another loopback port (another origin, the same site, as a front end's dev server) runs the documented
 * flow against the app with {@code fetch}: POST /uploads as JSON (preflighted), the PUT with the ticket's headers, the
 * record through the exposed {@code Location}, the thumbnail's bytes as a blob. The same page from a port not listed
 * fails at the preflight. {@code CrossOriginHttpTest} checks the headers over HTTP; this checks that Chromium, which
 * enforces them, lets the page through. Starts the app and Chromium as {@link UploadPageIT} does, with its needs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossOriginPageIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));

    private static final Path PHOTO = Path.of("src/test/resources/corpus/valid/nikon-e950-444.jpg");

    private static final Path ROOT = TestFolders.create("cross-origin-page-it");

    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(90);

    /** The page's origin, listed in the setting; started before the app, whose property names its port. */
    private static final HttpServer LISTED = pageServer();

    /** The same page on a port the setting does not list. */
    private static final HttpServer UNLISTED = pageServer();

    /**
     * The front end's script: each step writes its outcome into the page ({@code #step-<name>}, or {@code #error}
     * naming the step that failed), then {@code data-finished} is set. The API's origin comes from the page.
     */
    private static final String SCRIPT = """
            const api = document.documentElement.dataset.api;
            const steps = document.getElementById('steps');
            let step = 'start';
            function record(id, text) {
              const item = document.createElement('li');
              item.id = id;
              item.textContent = text;
              steps.append(item);
            }
            async function run() {
              step = 'photo';
              const photo = await (await fetch('photo.jpg')).blob();
              record('step-photo', String(photo.size));

              step = 'ticket';
              const granted = await fetch(api + '/uploads', {
                method: 'POST', headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ fileName: 'from-elsewhere.jpg', contentType: 'image/jpeg', contentLength: photo.size }),
              });
              const ticket = await granted.json();
              record('step-ticket', granted.status + ' ' + ticket.method);
              if (!granted.ok) { throw new Error('ticket refused: ' + JSON.stringify(ticket)); }

              step = 'put';
              const { 'Content-Length': _, ...headers } = ticket.headers;
              const put = await fetch(new URL(ticket.url, api), { method: ticket.method, headers, body: photo });
              record('step-put', put.status + ' ' + (put.headers.get('ETag') ? 'etag' : 'no etag'));
              if (!put.ok) { throw new Error('upload refused: ' + await put.text()); }

              step = 'record';
              const location = granted.headers.get('Location');
              if (!location) { throw new Error('Location is not exposed'); }
              const status = new URL(location, api);
              let image = null;
              for (let attempt = 0; attempt < 60; attempt++) {
                const answer = await fetch(status);
                if (answer.ok) {
                  image = await answer.json();
                  if (image.status === 'PROCESSED' || image.status === 'REJECTED') { break; }
                }
                await new Promise((resolve) => setTimeout(resolve, 500));
              }
              record('step-record', image ? image.status : 'none');

              step = 'thumbnail';
              const thumbnail = await fetch(api + '/thumbnails/' + ticket.key);
              const bytes = await thumbnail.blob();
              const start = Array.from(new Uint8Array(await bytes.slice(0, 3).arrayBuffer()),
                (byte) => byte.toString(16).padStart(2, '0')).join('');
              const decoded = await createImageBitmap(bytes);
              record('step-thumbnail', thumbnail.status + ' ' + bytes.type + ' ' + start + ' '
                + decoded.width + 'x' + decoded.height);
            }
            run().catch((error) => record('error', step + ': ' + error))
              .finally(() => { document.documentElement.dataset.finished = 'true'; });
            """;

    @LocalServerPort
    int port;

    private ChromeDriver browser;

    private Path profile;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        registry.add("image-processor.uploads.allowed-origins", () -> origin(LISTED));
    }

    /**
     * A page server on a free loopback port, serving the page (the app's origin in its query: the app's port is known
     * only once the app started, after this server), its script and the photo.
     */
    private static HttpServer pageServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", CrossOriginPageIT::servePage);
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String origin(HttpServer server) {
        return "http://localhost:" + server.getAddress().getPort();
    }

    private static void servePage(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            String type;
            switch (path) {
                case "/page.html" -> {
                    // no Content-Security-Policy: the page is the front end's own, not the app's
                    String api = exchange.getRequestURI().getQuery().replaceFirst("^api=", "");
                    body = """
                            <!doctype html>
                            <html lang="en" data-api="%s"><head><meta charset="utf-8"><title>elsewhere</title></head>
                            <body><ol id="steps"></ol><script src="page.js"></script></body></html>
                            """.formatted(api).getBytes(StandardCharsets.UTF_8);
                    type = "text/html; charset=utf-8";
                }
                case "/page.js" -> {
                    body = SCRIPT.getBytes(StandardCharsets.UTF_8);
                    type = "text/javascript; charset=utf-8";
                }
                case "/photo.jpg" -> {
                    body = Files.readAllBytes(PHOTO);
                    type = "image/jpeg";
                }
                default -> {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @BeforeAll
    void startBrowser() {
        assertThat(CHROMIUM).as("install Chromium: apt-get install chromium chromium-driver").isExecutable();
        assertThat(CHROMEDRIVER).as("install chromedriver: apt-get install chromium-driver").isExecutable();
        profile = TestFolders.create("chromium-profile");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile, "--window-size=1200,1400");
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        LISTED.stop(0);
        UNLISTED.stop(0);
    }

    @Test
    void aPageOnAnAllowedOriginUploadsAPhotoAndReadsItsThumbnail() throws IOException {
        BufferedImage source = ImageIO.read(PHOTO.toFile());
        int height = Math.round(256f * source.getHeight() / source.getWidth());

        openPage(LISTED);

        assertThat(browser.findElements(By.id("error"))).as(this::steps).isEmpty();
        assertThat(text("step-photo")).isEqualTo(String.valueOf(Files.size(PHOTO)));
        assertThat(text("step-ticket")).isEqualTo("201 PUT");
        assertThat(text("step-put")).isEqualTo("200 etag");
        assertThat(text("step-record")).isEqualTo("PROCESSED");
        assertThat(text("step-thumbnail")).isEqualTo("200 image/jpeg ffd8ff 256x" + height);
    }

    @Test
    void theSamePageOnAnOriginNotListedFailsAtThePreflight() {
        openPage(UNLISTED);

        assertThat(browser.findElements(By.id("step-ticket"))).as(this::steps).isEmpty();
        assertThat(text("error")).isEqualTo("ticket: TypeError: Failed to fetch");
        // Chromium says why in the console (the page only sees the TypeError): the preflight was refused
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).map(LogEntry::getMessage)
            .anySatisfy(message -> assertThat(message).contains(origin(UNLISTED)).contains("preflight"));
    }

    private void openPage(HttpServer server) {
        browser.get(origin(server) + "/page.html?api=http://localhost:" + port);
        new WebDriverWait(browser, RESULT_TIMEOUT).withMessage(this::steps)
            .until(driver -> "true".equals(((JavascriptExecutor) driver)
                .executeScript("return document.documentElement.dataset.finished")));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private String steps() {
        return "the page's steps: " + browser.findElement(By.id("steps")).getText();
    }

}
