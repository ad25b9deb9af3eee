package io.github.lambdaimageprocessor.web;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.TestFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload page in a real browser: Debian's headless Chromium, driven through its own chromedriver (so Selenium
 * Manager downloads nothing), against the whole app on a random port. Chooses a real photo and sees its thumbnail,
 * chooses a text file named .jpg and sees the rejection; saves a screenshot to {@code target/upload-page.png} (the
 * README's docs/upload-page.png is a copy of one). With a token, sees the thumbnails fetched with it. Throughout, the
 * page's Content-Security-Policy blocks nothing the page does, and does block an image from elsewhere.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} ({@code apt-get install chromium
 * chromium-driver}; .ci/run installs them): without them the test fails, it is never skipped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first test counts the gallery's images: it runs on its own
class UploadPageIT {

    /**
     * Installed before the page's own script: counts the tickets asked for ({@code window.tickets}) and answers every
     * result 404 while {@code window.resultHidden} is true.
     */
    private static final String RESULTS_HIDDEN_TICKETS_COUNTED = """
            window.resultHidden = true;
            window.tickets = 0;
            const fetchBefore = window.fetch;
            window.fetch = (url, options) => {
              if (url === 'uploads') {
                window.tickets++;
              }
              if (window.resultHidden && String(url).startsWith('images/')) {
                return Promise.resolve(new Response('{"status":404}', { status: 404,
                  headers: { 'Content-Type': 'application/problem+json' } }));
              }
              return fetchBefore(url, options);
            };""";

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));

    private static final Path CORPUS = Path.of("src/test/resources/corpus");

    private static final Path ROOT = TestFolders.create("upload-page-it");

    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(90);

    @LocalServerPort
    int port;

    private ChromeDriver browser;

    private Path profile;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        // the least there is, one upload of the limit (20 MB): a test holds it all to make the app busy
        registry.add("image-processor.limits.upload-memory", () -> "1MB");
    }

    @BeforeAll
    void startBrowser() throws IOException {
        assertThat(CHROMIUM).as("install Chromium: apt-get install chromium chromium-driver").isExecutable();
        assertThat(CHROMEDRIVER).as("install chromedriver: apt-get install chromium-driver").isExecutable();
        profile = TestFolders.create("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile, "--window-size=1200,1400");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        // every page this browser opens records what its Content-Security-Policy blocked, from before app.js runs
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.cspViolations = [];
                document.addEventListener('securitypolicyviolation',
                    (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"""));
    }

    @AfterAll
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void aPhotoBecomesAThumbnailAndATextFileNamedJpgIsRejected() throws IOException, InterruptedException {
        browser.get("http://localhost:" + port + "/");
        assertThat(browser.getTitle()).contains("upload photos");

        // keyboard: the first Tab lands on the file chooser (a real input with a label)
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("file-input");
        assertThat(browser.findElement(By.cssSelector("label[for=file-input]")).getText()).isEqualTo("Choose photos");

        chooseFile(CORPUS.resolve("valid/flickr-2725x2225.jpg"));
        WebElement photoRow = awaitRow("flickr-2725x2225.jpg", "Done");
        WebElement thumbnail = photoRow.findElement(By.tagName("img"));
        assertThat(thumbnail.getAttribute("alt")).isEqualTo("Thumbnail of flickr-2725x2225.jpg");
        // a right-to-left file name reads in its own order
        assertThat(photoRow.findElement(By.className("name")).getAttribute("dir")).isEqualTo("auto");
        awaitTrue("the thumbnail loads", "return arguments[0].complete && arguments[0].naturalWidth", thumbnail);
        assertThat(((Number) script("return arguments[0].naturalWidth", thumbnail)).intValue()).isEqualTo(256);
        assertThat(photoRow.findElements(By.tagName("progress"))).isEmpty();

        Path text = ROOT.resolve("notes.jpg");
        Files.copy(CORPUS.resolve("not-jpeg/plain-text.jpg"), text, StandardCopyOption.REPLACE_EXISTING);
        chooseFile(text);
        WebElement textRow = awaitRow("notes.jpg", "Rejected");
        assertThat(textRow.findElement(By.className("state")).getText()).startsWith("Rejected: ").hasSizeGreaterThan(
                "Rejected: ".length() + 5);
        assertThat(textRow.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.findElement(By.id("status")).getText()).contains("notes.jpg was rejected");

        // the gallery lists both, the photo with its thumbnail, the text file with its reason
        awaitTrue("the gallery shows both uploads", "return document.querySelectorAll('#gallery li').length >= 2");
        assertThat(browser.findElements(By.cssSelector("#gallery img"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#gallery .rejected")).getText()).startsWith("notes.jpg: not a JPEG");
        // a screen reader hears each name once: the image's alt, or the rejected one's caption
        assertThat(browser.findElement(By.cssSelector("#gallery img + .caption")).getAttribute("aria-hidden"))
            .isEqualTo("true");
        assertThat(browser.findElement(By.cssSelector("#gallery .rejected")).getAttribute("aria-hidden")).isNull();

        Path screenshot = Path.of("target", "upload-page.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));

        // a phone's width: nothing wider than the screen
        browser.manage().window().setSize(new Dimension(390, 844));
        assertThat(((Number) script("return document.documentElement.scrollWidth")).intValue())
            .isLessThanOrEqualTo(((Number) script("return document.documentElement.clientWidth")).intValue());
        Files.write(Path.of("target", "upload-page-phone.png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        // a key uploaded by other means, with characters a URL gives other meanings: its thumbnail still shows
        java.net.http.HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
            .newBuilder(java.net.URI.create("http://localhost:" + port + "/images/odd/%231%20100%25%3F.jpg"))
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofFile(CORPUS.resolve("valid/nikon-e950-444.jpg")))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(script("return window.cspViolations")).as("blocked by the Content-Security-Policy").isEqualTo(
                List.of());
        browser.navigate().refresh();
        awaitTrue("the odd key's thumbnail loads", "const image = document.querySelector('#gallery img[alt=\"#1 100%?.jpg\"]');"
                + " return image !== null && image.complete && image.naturalWidth === 256");
        assertThat(script("return window.cspViolations")).as("blocked by the Content-Security-Policy").isEqualTo(
                List.of());

        // with a token (the local app ignores it), thumbnails are fetched with the Authorization header an <img>
        // cannot send, and shown from blob: URLs, which the policy allows
        script("window.thumbnailFetches = []; const fetchBefore = window.fetch;"
                + " window.fetch = (url, options) => { if (String(url).startsWith('thumbnails/')) {"
                + " window.thumbnailFetches.push(options.headers.Authorization); } return fetchBefore(url, options); }");
        browser.findElement(By.cssSelector("#token-box summary")).click();
        browser.findElement(By.id("token-input")).sendKeys("a-token", Keys.TAB);
        awaitTrue("the gallery shows thumbnails fetched with the token",
                "const images = Array.from(document.querySelectorAll('#gallery img'));"
                        + " return images.length === 2 && images.every((image) => image.src.startsWith('blob:')"
                        + " && image.complete && image.naturalWidth === 256)");
        assertThat(script("return window.thumbnailFetches")).isEqualTo(List.of("Bearer a-token", "Bearer a-token"));
        assertThat(script("return window.cspViolations")).as("blocked by the Content-Security-Policy").isEqualTo(
                List.of());

        // the policy is in force: an image from elsewhere is blocked and reported
        script("const image = new Image(); image.src = 'https://example.invalid/elsewhere.png';"
                + " document.body.append(image);");
        awaitTrue("the policy blocks an image from elsewhere", "return window.cspViolations.length");
        assertThat(script("return window.cspViolations")).isEqualTo(
                List.of("img-src https://example.invalid/elsewhere.png"));
    }

    /**
     * With two regions a record made in the other one arrives before S3 replicates its thumbnail, and the API answers
     * 404 until then: the page asks again rather than leaving a broken image, with or without a token.
     */
    @Test
    @Order(2)
    void aThumbnailThatIsNotThereYetIsShownOnceItArrives() throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
            .newBuilder(java.net.URI.create("http://localhost:" + port + "/images/late/arrives.jpg"))
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofFile(CORPUS.resolve("valid/nikon-e950-444.jpg")))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        Path thumbnail = ROOT.resolve("processed/thumbnails/late/arrives.jpg");
        Path aside = ROOT.resolve("arrives.jpg.aside");
        String image = "const image = document.querySelector('#gallery img[alt=\"arrives.jpg\"]');";

        for (String token : List.of("", "a-token")) {
            Files.move(thumbnail, aside, StandardCopyOption.REPLACE_EXISTING);
            browser.get("http://localhost:" + port + "/");
            script("sessionStorage.setItem('token', arguments[0]); document.getElementById('token-input').value ="
                    + " arguments[0];", token);
            browser.navigate().refresh();
            assertThat(script("return document.getElementById('token-box').open")).as("the token box shows a "
                    + "token restored from the session").isEqualTo(!token.isEmpty());
            awaitTrue("the page says it will try again (token '" + token + "')", image
                    + " return image !== null && image.title.startsWith('The thumbnail is not here yet')");
            assertThat(script(image + " return image.naturalWidth")).isEqualTo(0L);

            Files.move(aside, thumbnail);
            awaitTrue("the thumbnail shows once it is there (token '" + token + "')", image
                    + " return image.complete && image.naturalWidth === 256 && !image.hasAttribute('title')");
        }
        script("sessionStorage.removeItem('token')");
    }

    /**
     * On AWS with a JWT authorizer, API Gateway answers a request without a token itself: 401 and
     * {"message":"Unauthorized"}, no problem detail. The page says a token is needed and opens the field for it.
     */
    @Test
    @Order(3)
    void anApiThatWantsATokenIsToldAsSuchAndTheTokenFieldOpens() {
        String authorizer = onNewDocument("""
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => options && options.headers && options.headers.Authorization
                    ? fetchBefore(url, options)
                    : Promise.resolve(new Response('{"message":"Unauthorized"}',
                        { status: 401, headers: { 'Content-Type': 'application/json' } }));""");
        try {
            browser.get("http://localhost:" + port + "/");
            awaitTrue("the gallery says it could not load", "return !document.getElementById('gallery-error').hidden");
            assertThat(browser.findElement(By.id("gallery-error")).getText()).contains("access token");

            chooseFile(CORPUS.resolve("valid/canon-ixus-422.jpg"));
            WebElement row = awaitRow("canon-ixus-422.jpg", "Failed");
            assertThat(row.findElement(By.className("state")).getText()).contains("access token");
            assertThat(browser.findElement(By.id("token-box")).getAttribute("open")).isNotNull();
        }
        finally {
            removeOnNewDocument(authorizer);
        }
    }

    /**
     * API Gateway throttles the stage (10 requests a second, bursts of 20, by default) and S3 refuses a presigned PUT
     * that starts after its URL expired: 30 photos chosen at once must neither ask for 30 tickets in one burst nor
     * hold tickets while the browser queues their PUTs. A few go at a time, each asks for its ticket just before its
     * PUT, an API call answered 429 is asked again, and the gallery is not reloaded once per photo.
     */
    @Test
    @Order(4)
    void manyPhotosGoAFewAtATimeAndOutlastAThrottledApi() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("many"));
        List<Path> photos = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            photos.add(Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                    folder.resolve("many-%02d.jpg".formatted(i)), StandardCopyOption.REPLACE_EXISTING));
        }
        String throttle = onNewDocument("""
                window.counts = { tickets: 0, maxTickets: 0, puts: 0, maxPuts: 0, galleryLoads: 0, refused: 0 };
                const counts = window.counts;
                const openBefore = XMLHttpRequest.prototype.open;
                XMLHttpRequest.prototype.open = function (method, url) {
                  if (method === 'PUT') {
                    counts.puts++;
                    counts.maxPuts = Math.max(counts.maxPuts, counts.puts);
                    this.addEventListener('loadend', () => { counts.puts--; counts.tickets--; });
                  }
                  return openBefore.apply(this, arguments);
                };
                // the first call for each photo's ticket and for each record is throttled, as a burst would be
                const seen = new Set();
                const fetchBefore = window.fetch;
                window.fetch = async (url, options) => {
                  const call = String(url) + ' ' + (options && options.body ? options.body : '');
                  if (String(url).startsWith('images?')) {
                    counts.galleryLoads++;
                  } else if ((url === 'uploads' || String(url).startsWith('images/')) && !seen.has(call)) {
                    seen.add(call);
                    counts.refused++;
                    return new Response('{"message":"Too Many Requests"}',
                        { status: 429, headers: { 'Content-Type': 'application/json' } });
                  }
                  const response = await fetchBefore(url, options);
                  if (url === 'uploads' && response.ok) {
                    counts.tickets++;
                    counts.maxTickets = Math.max(counts.maxTickets, counts.tickets);
                  }
                  return response;
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFiles(photos);
            for (Path photo : photos) {
                awaitRow(photo.getFileName().toString(), "Done");
            }
            @SuppressWarnings("unchecked")
            Map<String, Number> counts = (Map<String, Number>) script("return window.counts");
            assertThat(counts.get("refused").intValue()).as("calls answered 429").isEqualTo(24);
            assertThat(counts.get("maxPuts").intValue()).as("PUTs at once").isBetween(1, 3);
            assertThat(counts.get("maxTickets").intValue()).as("tickets held at once").isBetween(1, 3);
            assertThat(counts.get("galleryLoads").intValue()).as("gallery loads").isLessThanOrEqualTo(6);
            awaitTrue("the gallery shows the last of them", "return Array.from(document.querySelectorAll("
                    + "'#gallery .caption')).some((caption) => caption.textContent === 'many-12.jpg')");
        }
        finally {
            removeOnNewDocument(throttle);
        }
    }

    /**
     * A photo's result asked for while the API stays busy for longer than one call's retries (many photos polling at
     * once, over API Gateway's rate limit): the photo is uploaded, so the page keeps asking, and it ends Done.
     */
    @Test
    @Order(10)
    void aResultThatStaysThrottledLongerThanOneCallsRetriesIsStillWaitedFor() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), ROOT.resolve("busy.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        // the first six asks for the record are throttled: one call and its five retries
        String throttle = onNewDocument("""
                window.throttled = 0;
                const fetchBefore = window.fetch;
                window.fetch = async (url, options) => {
                  if (String(url).startsWith('images/') && window.throttled < 6) {
                    window.throttled++;
                    return new Response('{"message":"Too Many Requests"}',
                        { status: 429, headers: { 'Content-Type': 'application/json' } });
                  }
                  return fetchBefore(url, options);
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFile(photo);
            awaitRow("busy.jpg", "Done");
            assertThat(script("return window.throttled")).isEqualTo(6L);
        }
        finally {
            removeOnNewDocument(throttle);
        }
    }

    /** A double click on "Show more" (a habit on the web) shows the next page once, not twice. */
    @Test
    @Order(5)
    void aDoubleClickOnShowMoreShowsTheNextPageOnce() throws IOException, InterruptedException {
        for (int i = 1; i <= 30; i++) {
            putImage("paging/page-%02d.jpg".formatted(i));
        }
        browser.get("http://localhost:" + port + "/");
        awaitTrue("the gallery offers more", "return !document.getElementById('more').hidden");
        script("const more = document.getElementById('more'); more.click(); more.click();");
        awaitTrue("the second page is there", "return document.querySelectorAll('#gallery li').length > 24");
        Thread.sleep(1500);
        @SuppressWarnings("unchecked")
        List<String> captions = (List<String>) script(
                "return Array.from(document.querySelectorAll('#gallery .caption')).map((caption) => caption.textContent)");
        assertThat(captions).hasSizeGreaterThan(24).hasSizeLessThanOrEqualTo(48).doesNotHaveDuplicates();
        // a screen reader is told what it did, which it was not
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo(
                (captions.size() - 24) + " more images shown, " + captions.size() + " in all"
                        + (browser.findElement(By.id("more")).isDisplayed() ? "" : "; there are no more"));
    }

    /**
     * The gallery reloads when a photo is done (and every few seconds while many upload): it took back what "Show
     * more" had shown, the user's second page vanishing under their eyes. It keeps as many images as were shown.
     */
    @Test
    @Order(16)
    void aReloadKeepsWhatShowMoreShowed() throws IOException, InterruptedException {
        for (int i = 1; i <= 30; i++) {
            putImage("kept/kept-%02d.jpg".formatted(i));
        }
        browser.get("http://localhost:" + port + "/");
        awaitTrue("the gallery offers more", "return !document.getElementById('more').hidden");
        browser.findElement(By.id("more")).click();
        awaitTrue("the second page is there", "return document.querySelectorAll('#gallery li').length > 24");
        long shown = ((Number) script("return document.querySelectorAll('#gallery li').length")).longValue();

        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), ROOT.resolve("kept-new.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        chooseFile(photo);
        awaitRow("kept-new.jpg", "Done");
        awaitTrue("the gallery shows the new photo first", "const caption = document.querySelector('#gallery .caption');"
                + " return caption !== null && caption.textContent === 'kept-new.jpg'");
        assertThat(((Number) script("return document.querySelectorAll('#gallery li').length")).longValue())
            .as("images shown after the reload").isEqualTo(shown);
    }

    /**
     * "Show more" pressed from the keyboard on the last page hides itself: the focus went back to the top of the page
     * (the next Tab landed on the file chooser). It goes to the first image the page added.
     */
    @Test
    @Order(15)
    void theLastShowMoreLeavesTheFocusOnTheImagesItAdded() throws IOException, InterruptedException {
        for (int i = 1; i <= 30; i++) {
            putImage("focus/focus-%02d.jpg".formatted(i));
        }
        browser.get("http://localhost:" + port + "/");
        for (int pages = 1; pages < 100; pages++) {
            awaitTrue("the gallery offers more", "return !document.getElementById('more').hidden"
                    + " && !document.getElementById('more').hasAttribute('aria-busy')");
            int shown = ((Number) script("return document.querySelectorAll('#gallery li').length")).intValue();
            WebElement more = browser.findElement(By.id("more"));
            more.sendKeys(Keys.ENTER);
            awaitTrue("the next page is there", "return !document.getElementById('more').hasAttribute('aria-busy')");
            if (!more.isDisplayed()) {
                WebElement focused = browser.switchTo().activeElement();
                assertThat(focused.getTagName()).isEqualTo("li");
                long total = ((Number) script("return document.querySelectorAll('#gallery li').length")).longValue();
                assertThat(script("return Array.from(document.querySelectorAll('#gallery li')).indexOf(arguments[0])",
                        focused)).as("the first image added, or the last one when none was").isEqualTo(
                                Math.min(shown, total - 1));
                return;
            }
        }
    }

    /** In dark mode the page's controls are dark too, and the main button's text is readable (WCAG AA, 4.5:1). */
    @Test
    @Order(6)
    void darkModeKeepsTheButtonReadableAndTheControlsDark() {
        browser.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            browser.get("http://localhost:" + port + "/");
            String contrast = """
                    const luminance = (color) => {
                      const [r, g, b] = color.match(/[0-9.]+/g).slice(0, 3).map(Number).map((v) => {
                        v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
                    };
                    const style = getComputedStyle(arguments[0]);
                    const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)]
                        .sort((a, b) => b - a);
                    return (light + 0.05) / (dark + 0.05);""";
            WebElement button = browser.findElement(By.cssSelector("label[for=file-input]"));
            assertThat(((Number) script(contrast, button)).doubleValue()).as("contrast of 'Choose photos'")
                .isGreaterThanOrEqualTo(4.5);
            assertThat((String) script("return getComputedStyle(document.getElementById('token-input')).colorScheme"))
                .as("the token field follows the dark scheme")
                .contains("dark");
        }
        finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    /**
     * A photo smaller than the thumbnail box keeps its size in its thumbnail, but the gallery blew it up to the width
     * of its tile, a 33 x 33 photo a blurred 150 px square beside its sharp 33 px self in the upload list. It is shown
     * at its size, in the middle of its tile.
     */
    @Test
    @Order(33)
    void aThumbnailSmallerThanItsTileIsNotBlownUp() throws IOException, InterruptedException {
        putImage("tiny/tiny-33.jpg");
        browser.get("http://localhost:" + port + "/");
        awaitTrue("the small thumbnail loads", "const image = document.querySelector('#gallery img[alt=\"tiny-33.jpg\"]');"
                + " return image !== null && image.complete && image.naturalWidth === 33");
        WebElement image = browser.findElement(By.cssSelector("#gallery img[alt=\"tiny-33.jpg\"]"));
        script("arguments[0].scrollIntoView()", image);
        java.awt.image.BufferedImage shot = javax.imageio.ImageIO
            .read(new java.io.ByteArrayInputStream(image.getScreenshotAs(OutputType.BYTES)));
        java.awt.Color tile = java.awt.Color.decode("#f6f8fa");
        int photo = 0;
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                java.awt.Color pixel = new java.awt.Color(shot.getRGB(x, y));
                if (Math.abs(pixel.getRed() - tile.getRed()) + Math.abs(pixel.getGreen() - tile.getGreen())
                        + Math.abs(pixel.getBlue() - tile.getBlue()) > 6) {
                    photo++;
                }
            }
        }
        assertThat(shot.getWidth()).as("the tile's width").isGreaterThan(100);
        assertThat(photo).as("pixels of the photo in a %d x %d tile", shot.getWidth(), shot.getHeight())
            .isPositive()
            .isLessThanOrEqualTo(40 * 40);
    }

    /**
     * Photos chosen together were listed last first, while they go first first: with many on a phone, those on the
     * move were at the bottom of the list, off the screen below the ones still waiting. They are listed in the order
     * chosen, and those chosen later above them.
     */
    @Test
    @Order(34)
    @SuppressWarnings("unchecked")
    void photosChosenTogetherAreListedInTheOrderTheyGoIn() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("listed"));
        List<Path> photos = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            photos.add(Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                    folder.resolve("listed-%d.jpg".formatted(i)), StandardCopyOption.REPLACE_EXISTING));
        }
        browser.get("http://localhost:" + port + "/");
        chooseFiles(photos.subList(0, 3));
        chooseFile(photos.get(3));
        awaitRow("listed-4.jpg", "Done");
        assertThat((List<String>) script("return Array.from(document.querySelectorAll('#uploads .name'))"
                + ".map((name) => name.textContent)"))
            .containsExactly("listed-4.jpg", "listed-1.jpg", "listed-2.jpg", "listed-3.jpg");
    }

    /**
     * A file too big to read whole (a video renamed .jpg, a disk image) is refused for its size, as the API says, not
     * with the browser's "could not be read": the page reads a file to checksum it and must not fail on that first.
     */
    @Test
    @Order(7)
    void aFileTooBigToReadIsRefusedForItsSize() throws IOException {
        Path huge = ROOT.resolve("huge.jpg");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L * 1024 * 1024 * 1024); // sparse: takes no disk space
        }
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFile(huge);
            WebElement row = awaitRow("huge.jpg", "Failed");
            // in words, not the API's "contentLength 3221225472 is over the upload limit of 20971520 bytes"
            assertThat(row.findElement(By.className("state")).getText())
                .isEqualTo("Failed: too large (3 GB): the server takes photos of up to 20 MB");
        }
        finally {
            Files.delete(huge);
        }
    }

    /**
     * A photo just over the limit: both sizes rounded to the MB read the same, "too large (20 MB): the server takes
     * photos of up to 20 MB". The file's size is rounded up, and to a tenth, so that it reads over the limit.
     */
    @Test
    @Order(7)
    void aFileJustOverTheLimitReadsLargerThanTheLimit() throws IOException {
        Path big = ROOT.resolve("just-over.jpg");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(21_300_000); // 20.31 MB as the settings count (20MB is 20 x 1024 x 1024 bytes)
        }
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFile(big);
            WebElement row = awaitRow("just-over.jpg", "Failed");
            assertThat(row.findElement(By.className("state")).getText())
                .isEqualTo("Failed: too large (20.4 MB): the server takes photos of up to 20 MB");
        }
        finally {
            Files.delete(big);
        }
    }

    /**
     * A file far over the upload limit (a video renamed .jpg) is refused for its size before the page reads it to
     * checksum it: reading it whole took seconds and as much memory as the file (1.5 GB: 17 s, 4 GB of the
     * browser's memory), enough to crash a phone's tab, for an answer the API gives from its size alone.
     */
    @Test
    @Order(7)
    void aFileFarOverTheLimitIsRefusedWithoutBeingRead() throws IOException {
        Path video = ROOT.resolve("video.jpg");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(video.toFile(), "rw")) {
            file.setLength(40L * 1024 * 1024); // sparse: over the 20 MB limit and the page's 32 MB
        }
        String spy = onNewDocument("window.filesRead = []; const readBefore = Blob.prototype.arrayBuffer;"
                + " Blob.prototype.arrayBuffer = function () { window.filesRead.push(this.name);"
                + " return readBefore.call(this); };");
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFile(CORPUS.resolve("valid/nikon-e950-444.jpg"));
            awaitRow("nikon-e950-444.jpg", "Done");
            assertThat(script("return window.filesRead")).as("a photo is read for its checksum").isEqualTo(
                    List.of("nikon-e950-444.jpg"));

            chooseFile(video);
            WebElement row = awaitRow("video.jpg", "Failed");
            assertThat(row.findElement(By.className("state")).getText()).startsWith("Failed: too large (")
                .endsWith("): the server takes photos of up to 20 MB");
            assertThat(script("return window.filesRead")).isEqualTo(List.of("nikon-e950-444.jpg"));
        }
        finally {
            removeOnNewDocument(spy);
            Files.delete(video);
        }
    }

    /**
     * An empty file and a file that is not a JPEG fail in words for the person who chose them, not in the API's
     * ("contentLength must be the file's size in bytes, at least 1, got 0"), and offer no retry: it would fail again.
     */
    @Test
    @Order(7)
    void anEmptyFileAndAnotherTypeFailInPlainWords() throws IOException {
        Path drawing = ROOT.resolve("drawing.png");
        Files.write(drawing, new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
        Path notes = ROOT.resolve("notes");
        Files.writeString(notes, "not a photo");
        browser.get("http://localhost:" + port + "/");
        chooseFiles(List.of(CORPUS.resolve("malformed/empty-0-bytes.jpg"), drawing, notes));

        WebElement empty = awaitRow("empty-0-bytes.jpg", "Failed");
        assertThat(empty.findElement(By.className("state")).getText()).isEqualTo(
                "Failed: the file is empty (0 bytes)");
        WebElement png = awaitRow("drawing.png", "Failed");
        assertThat(png.findElement(By.className("state")).getText()).isEqualTo(
                "Failed: not a JPEG photo (the file is image/png): only JPEG photos are turned into thumbnails");
        WebElement untyped = awaitRow("notes", "Failed");
        assertThat(untyped.findElement(By.className("state")).getText()).isEqualTo("Failed: not a JPEG photo (its"
                + " name does not end in .jpg or .jpeg): only JPEG photos are turned into thumbnails");
        assertThat(browser.findElements(By.cssSelector("#uploads .retry"))).isEmpty();
    }

    /**
     * What a screen reader is told when photos fail at once: each message replaced the one before within the same
     * task, so the status line, read once the task was over, said the last failure alone, neither how many photos
     * were chosen nor the other failure.
     */
    @Test
    @Order(30)
    @SuppressWarnings("unchecked")
    void aScreenReaderIsToldOfEveryPhotoThatFailsAtOnce() throws IOException {
        Path drawing = Files.write(ROOT.resolve("told.png"),
                new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
        browser.get("http://localhost:" + port + "/");
        script("""
                window.said = [];
                const status = document.getElementById('status');
                new MutationObserver(() => window.said.push(status.textContent))
                  .observe(status, { childList: true, characterData: true, subtree: true });""");
        chooseFiles(List.of(CORPUS.resolve("malformed/empty-0-bytes.jpg"), drawing));
        awaitRow("told.png", "Failed");
        awaitRow("empty-0-bytes.jpg", "Failed");

        String said = String.join(" / ", (List<String>) script("return window.said"));
        assertThat(said).contains("Uploading 2 photos")
            .contains("empty-0-bytes.jpg failed: the file is empty (0 bytes)")
            .contains("told.png failed: not a JPEG photo (the file is image/png)");
    }

    /**
     * Several photos at once: a screen reader was told of each as it finished, and never how they went in all, so
     * among 40 its user had to count the failures. Once the last is through it is told how many are ready, rejected
     * and failed.
     */
    @Test
    @Order(31)
    @SuppressWarnings("unchecked")
    void aScreenReaderIsToldHowSeveralPhotosWentOnceTheLastIsThrough() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("summary"));
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), folder.resolve("summary-photo.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        Path text = Files.copy(CORPUS.resolve("not-jpeg/plain-text.jpg"), folder.resolve("summary-text.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        Path empty = Files.write(folder.resolve("summary-empty.jpg"), new byte[0]);
        browser.get("http://localhost:" + port + "/");
        script("""
                window.said = [];
                const status = document.getElementById('status');
                new MutationObserver(() => window.said.push(status.textContent))
                  .observe(status, { childList: true, characterData: true, subtree: true });""");
        chooseFiles(List.of(photo, text, empty));
        awaitRow("summary-photo.jpg", "Done");
        awaitRow("summary-text.jpg", "Rejected");
        awaitRow("summary-empty.jpg", "Failed");

        awaitTrue("the screen reader is told how they went",
                "return window.said.some((text) => text.includes('3 photos finished'))");
        assertThat((List<String>) script("return window.said")).last()
            .asString()
            .endsWith("3 photos finished: 1 thumbnail ready, 1 rejected, 1 failed");
    }

    /**
     * A file the page refuses by itself (empty, not a JPEG) waited its turn behind the photos before it, and while
     * the server could not be reached said "Waiting: the server cannot be reached", though it would never be sent.
     * It fails at once, whatever the queue does.
     */
    @Test
    @Order(32)
    void aFileThePageRefusesFailsAtOnceEvenWhileTheQueueWaits() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("at-once"));
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            files.add(Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                    folder.resolve("at-once-%d.jpg".formatted(i)), StandardCopyOption.REPLACE_EXISTING));
        }
        files.add(Files.write(folder.resolve("at-once-empty.jpg"), new byte[0]));
        browser.get("http://localhost:" + port + "/");
        awaitGalleryLoaded();
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
        try {
            chooseFiles(files);
            awaitRow("at-once-3.jpg", "Waiting: the server cannot be reached");
            new WebDriverWait(browser, Duration.ofSeconds(5))
                .withMessage(() -> "the empty file did not fail; uploads: "
                        + browser.findElement(By.id("uploads")).getText())
                .until(driver -> (Boolean) script("return Array.from(document.querySelectorAll('#uploads li')).some("
                        + "(row) => row.querySelector('.name').textContent === 'at-once-empty.jpg'"
                        + " && row.querySelector('.state').textContent === 'Failed: the file is empty (0 bytes)')"));
        }
        finally {
            browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
        }
        awaitRow("at-once-1.jpg", "Done");
        awaitRow("at-once-3.jpg", "Done");
    }

    /**
     * The network drops out for a moment while the page waits for the outcome: the photo is uploaded and will be
     * processed, so the page asks again rather than calling it failed.
     */
    @Test
    @Order(8)
    void aNetworkBlipWhileWaitingForTheOutcomeIsNoFailure() {
        String blip = onNewDocument("""
                const fetchBefore = window.fetch;
                let dropped = false;
                window.fetch = (url, options) => {
                  if (String(url).startsWith('images/') && !dropped) {
                    dropped = true;
                    return Promise.reject(new TypeError('Failed to fetch'));
                  }
                  return fetchBefore(url, options);
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFile(CORPUS.resolve("valid/panasonic-dmc-fz30-440.jpg"));
            awaitRow("panasonic-dmc-fz30-440.jpg", "Done");
        }
        finally {
            removeOnNewDocument(blip);
        }
    }

    /**
     * A file dropped beside the drop zone: the browser's default is to open it in place of the page, losing the uploads
     * under way. The page refuses such drops; one on the zone still uploads.
     */
    @Test
    @Order(9)
    void aFileDroppedBesideTheZoneDoesNotReplaceThePage() {
        browser.get("http://localhost:" + port + "/");
        // arguments[2]: what is dragged, a file or text
        String drop = "const data = new DataTransfer(); if (arguments[2] === 'file') {"
                + " data.items.add(new File(['x'], 'beside.jpg', { type: 'image/jpeg' })); }"
                + " else if (arguments[2] === 'text') { data.setData('text/plain', 'a-token'); }"
                + " const event = new DragEvent(arguments[1], { bubbles: true, cancelable: true,"
                + " dataTransfer: data }); arguments[0].dispatchEvent(event);"
                + " return event.defaultPrevented;";
        WebElement beside = browser.findElement(By.tagName("h1"));

        assertThat(script(drop, beside, "dragover", "file")).as("dragover beside the zone refused").isEqualTo(true);
        assertThat(script(drop, beside, "drop", "file")).as("drop beside the zone refused").isEqualTo(true);
        assertThat(script(drop, browser.findElement(By.id("drop-zone")), "drop", "none")).as("drop on the zone taken")
            .isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("#uploads li"))).as("an empty drop uploads nothing").isEmpty();
        // text (a token dragged from another window) is no file: the browser's default drops it into the field
        WebElement tokenField = browser.findElement(By.id("token-input"));
        assertThat(script(drop, tokenField, "dragover", "text")).as("text dragged over the token field").isEqualTo(false);
        assertThat(script(drop, tokenField, "drop", "text")).as("text dropped on the token field").isEqualTo(false);
    }

    /**
     * "Show more" clicked while a reload from the start is under way (every few seconds during uploads) and answered
     * after it: the next page was asked for after the old list's cursor, so adding it to the reloaded list would skip
     * what a photo that finished meanwhile pushed past the first page. It is dropped instead, as when the reload starts
     * after it.
     */
    @Test
    @Order(10)
    @SuppressWarnings("unchecked")
    void aNextPageAskedForBeforeAReloadFinishedIsNotAddedToTheReloadedList() throws IOException, InterruptedException {
        for (int i = 1; i <= 26; i++) {
            putImage("race/race-%02d.jpg".formatted(i));
        }
        browser.get("http://localhost:" + port + "/");
        awaitTrue("the gallery offers more", "return !document.getElementById('more').hidden");
        putImage("race/race-new.jpg"); // finished meanwhile: the first page now ends one photo earlier
        script("""
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => new Promise((resolve) => setTimeout(resolve,
                    String(url).includes('cursor=') ? 1500 : 300)).then(() => fetchBefore(url, options));
                loadGallery(true);
                document.getElementById('more').click();""");
        Thread.sleep(3000);
        List<String> captions = (List<String>) script(
                "return Array.from(document.querySelectorAll('#gallery .caption')).map((caption) => caption.textContent)");
        List<String> listed = (List<String>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('images?limit=' + arguments[0]).then((response) => response.json()).then((page) => done(
                    page.items.map((record) => {
                      const name = record.source.key.replace(/^.*\\//, '').replace(/^[0-9a-f-]{36}-/, '');
                      return record.status === 'PROCESSED' ? name : name + ': ' + record.reason;
                    })));""", captions.size());
        assertThat(captions).as("the gallery is the listing's first images, none skipped").isEqualTo(listed);
    }

    /**
     * A PUT that stalls without an error (a dropped mobile connection, a proxy or server that stopped reading) held
     * one of the page's three upload slots for as long as the browser kept the connection, and the photos behind it
     * waited. The page gives it up after a while without progress (shortened here through the data attribute tests
     * alone set): the photo fails saying so, its slot goes to the next photo, and "Retry" uploads it once the network
     * is back. An upload that is slow but moving is left to finish.
     */
    @Test
    @Order(11)
    void aStalledUploadFailsFreesItsSlotAndCanBeTriedAgain() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("stalled"));
        List<Path> photos = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            photos.add(Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                    folder.resolve("stalled-%d.jpg".formatted(i)), StandardCopyOption.REPLACE_EXISTING));
        }
        browser.get("http://localhost:" + port + "/");
        script("document.documentElement.dataset.uploadStallSeconds = '2'");

        // slow but moving: 829 KB at 200 KB/s takes about 4 s, twice the limit, with progress all along
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 20,
                "downloadThroughput", -1, "uploadThroughput", 200_000));
        try {
            chooseFile(CORPUS.resolve("valid/flickr-2725x2225.jpg"));
            awaitRow("flickr-2725x2225.jpg", "Done");
        }
        finally {
            browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
        }

        // stalled: every PUT is held before its first byte, with neither progress nor an error
        browser.executeCdpCommand("Fetch.enable", Map.of("patterns",
                List.of(Map.of("urlPattern", "*/local-uploads/*", "requestStage", "Request"))));
        try {
            chooseFiles(photos);
            // the fourth starts only once one of the first three gave up its slot
            for (Path photo : photos) {
                WebElement row = awaitRow(photo.getFileName().toString(), "Failed");
                assertThat(row.findElement(By.className("state")).getText())
                    .isEqualTo("Failed: the upload stalled: nothing was sent for 2 seconds (the connection may have dropped)");
                assertThat(row.findElement(By.tagName("button")).getAttribute("aria-label"))
                    .isEqualTo("Retry " + photo.getFileName());
            }
        }
        finally {
            browser.executeCdpCommand("Fetch.disable", Map.of());
        }

        awaitRow("stalled-1.jpg", "Failed").findElement(By.tagName("button")).click();
        WebElement again = awaitRow("stalled-1.jpg", "Done");
        assertThat(again.findElements(By.tagName("button"))).isEmpty();
        assertThat(again.findElements(By.tagName("img"))).hasSize(1);
        assertThat(browser.switchTo().activeElement()).as("focus stays on the photo's row").isEqualTo(again);
    }

    /**
     * A PUT the store answers 503 (S3's SlowDown, the local app's memory budget) is tried again with the same URL,
     * which nothing used: here a slow upload holds the app's whole memory budget until the test lets it go.
     */
    @Test
    @Order(18)
    void anUploadTheServerIsTooBusyForIsTriedAgain() throws Exception {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("busy")).resolve("busy-server.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        browser.get("http://localhost:" + port + "/");
        try (java.net.Socket holding = new java.net.Socket("localhost", port)) {
            holding.getOutputStream().write(("PUT /images/holding.jpg HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: image/jpeg\r\nContent-Length: " + 20 * 1024 * 1024 + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            holding.getOutputStream().write(new byte[1000]);
            holding.getOutputStream().flush();

            chooseFile(photo);
            awaitRow("busy-server.jpg", "Uploading: the server is busy, trying again");
        }

        WebElement done = awaitRow("busy-server.jpg", "Done");
        assertThat(done.findElements(By.tagName("img"))).hasSize(1);
    }

    /**
     * A 503 that does not say the store is busy (no Retry-After, no S3 SlowDown: a read-only data folder) fails the
     * photo at once with its reason instead of being sent again five times. The store's answers are played by a
     * stand-in for XMLHttpRequest, which only the PUT uses.
     */
    @Test
    @Order(19)
    void onlyA503SayingTheStoreIsBusyIsSentAgain() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("unavailable"));
        Path readOnly = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), folder.resolve("read-only.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        browser.get("http://localhost:" + port + "/");
        script("""
                window.XMLHttpRequest = class {
                  constructor() { this.upload = {}; this.status = 0; this.responseText = ''; }
                  open() {}
                  setRequestHeader() {}
                  abort() {}
                  getAllResponseHeaders() { return 'content-type: application/problem+json\\r\\n'; }
                  getResponseHeader(name) { return name.toLowerCase() === 'content-type' ? 'application/problem+json' : null; }
                  send() {
                    setTimeout(() => {
                      this.status = 503;
                      this.responseText = JSON.stringify({ status: 503, detail: 'The data folder is read-only' });
                      this.onload();
                    }, 10);
                  }
                };
                window.statesSeen = [];
                new MutationObserver(() => document.querySelectorAll('#uploads .state')
                  .forEach((state) => window.statesSeen.push(state.textContent)))
                  .observe(document.getElementById('uploads'), { subtree: true, childList: true, characterData: true });""");

        chooseFile(readOnly);

        WebElement row = awaitRow("read-only.jpg", "Failed");
        assertThat(row.findElement(By.className("state")).getText())
            .isEqualTo("Failed: the upload was refused (HTTP 503: The data folder is read-only)");
        assertThat(script("return window.statesSeen.join('|')").toString()).as("never sent again")
            .doesNotContain("busy");
    }

    /**
     * S3 may answer 503 after it stored an upload: the retry to the same one-time URL then gets 412, and the photo is
     * followed up through its result rather than failed. The stand-in for XMLHttpRequest makes the real PUT, then
     * answers 503 for it, and 412 for the retry.
     */
    @Test
    @Order(20)
    void anUploadStoredBeforeItsBusyAnswerIsFollowedUpWhenItsRetryFindsTheUrlTaken() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("stored")).resolve("stored-then-busy.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        browser.get("http://localhost:" + port + "/");
        script("""
                let sends = 0;
                window.XMLHttpRequest = class {
                  constructor() { this.upload = {}; this.status = 0; this.responseText = ''; this.headers = {}; }
                  open(method, url) { this.method = method; this.url = url; }
                  setRequestHeader(name, value) { this.headers[name] = value; }
                  abort() {}
                  getAllResponseHeaders() { return this.status === 503 ? 'retry-after: 1\\r\\n' : ''; }
                  getResponseHeader() { return null; }
                  async send(body) {
                    sends++;
                    if (sends === 1) {
                      await fetch(this.url, { method: this.method, headers: this.headers, body });
                      this.status = 503;
                      this.responseText = '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
                    } else {
                      this.status = 412;
                      this.responseText = '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';
                    }
                    this.onload();
                  }
                };""");

        chooseFile(photo);

        WebElement done = awaitRow("stored-then-busy.jpg", "Done");
        assertThat(done.findElements(By.tagName("img"))).hasSize(1);
    }

    /** Leaving the page while a photo is being sent asks first; once nothing is waiting or being sent, it does not. */
    @Test
    @Order(17)
    void leavingThePageWhileAPhotoIsBeingSentAsksFirst() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("leaving")).resolve("leaving.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        browser.get("http://localhost:" + port + "/");
        script("document.documentElement.dataset.uploadStallSeconds = '2'");
        String leave = "const leaving = new Event('beforeunload', { cancelable: true });"
                + " window.dispatchEvent(leaving); return leaving.defaultPrevented;";

        browser.executeCdpCommand("Fetch.enable", Map.of("patterns",
                List.of(Map.of("urlPattern", "*/local-uploads/*", "requestStage", "Request"))));
        try {
            chooseFile(photo);
            awaitRow("leaving.jpg", "Uploading");
            assertThat(script(leave)).as("while the photo is being sent").isEqualTo(true);
            awaitRow("leaving.jpg", "Failed");
        }
        finally {
            browser.executeCdpCommand("Fetch.disable", Map.of());
        }

        assertThat(script(leave)).as("once nothing is waiting or being sent").isEqualTo(false);
    }

    /**
     * A PUT whose whole body was sent but that gets no answer: the photo may have arrived, so after a while the page
     * stops waiting for the answer (freeing the slot) and asks for the photo's result as usual. Here the app stored
     * and processed each photo; its answers are held back.
     */
    @Test
    @Order(12)
    void anUploadThatGetsNoAnswerIsFollowedUpThroughItsResult() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("unanswered"));
        List<Path> photos = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            photos.add(Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                    folder.resolve("unanswered-%d.jpg".formatted(i)), StandardCopyOption.REPLACE_EXISTING));
        }
        browser.get("http://localhost:" + port + "/");
        script("document.documentElement.dataset.uploadAnswerSeconds = '2'");
        browser.executeCdpCommand("Fetch.enable", Map.of("patterns",
                List.of(Map.of("urlPattern", "*/local-uploads/*", "requestStage", "Response"))));
        try {
            chooseFiles(photos);
            for (Path photo : photos) {
                awaitRow(photo.getFileName().toString(), "Done");
            }
        }
        finally {
            browser.executeCdpCommand("Fetch.disable", Map.of());
        }
    }

    /**
     * A PUT that got no answer, and then no result in time, failed with "Retry", which asked for a new ticket: the
     * photo, stored all along, was stored again under a second key (two thumbnails, two records, two notifications).
     * The Retry tries that PUT's URL first; the URL takes one upload, so its 412 says the photo is there, and its
     * result is asked for.
     */
    @Test
    @Order(38)
    void aRetryAfterAnUnansweredUploadThatArrivedAfterAllDoesNotStoreItTwice() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("unanswered-retry")).resolve("unanswered-retry.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        String hide = onNewDocument(RESULTS_HIDDEN_TICKETS_COUNTED);
        try {
            WebElement row = failedUnanswered(photo);
            assertThat(row.findElement(By.className("state")).getText())
                .isEqualTo("Failed: no result after 2 seconds (the upload was not answered within 2 seconds)");

            script("window.resultHidden = false");
            row.findElement(By.className("retry")).click();

            awaitRow("unanswered-retry.jpg", "Done");
            assertThat(script("return window.tickets")).as("tickets asked for").isEqualTo(1L);
            try (Stream<Path> stored = Files.walk(ROOT.resolve("uploads"))) {
                assertThat(stored.filter(file -> file.getFileName().toString().endsWith("-unanswered-retry.jpg")))
                    .hasSize(1);
            }
        }
        finally {
            removeOnNewDocument(hide);
        }
    }

    /** The unanswered PUT's URL no longer taken (expired): the Retry goes on with a new ticket, as any try does. */
    @Test
    @Order(39)
    void aRetryWhoseEarlierUrlIsRefusedGoesOnWithANewTicket() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("unanswered-expired")).resolve("unanswered-expired.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        String count = onNewDocument(RESULTS_HIDDEN_TICKETS_COUNTED);
        try {
            WebElement row = failedUnanswered(photo);
            // as if the URL had expired meanwhile: the store refuses it with 403
            script("retryable.forEach((entry, failed) => { failed.unansweredTicket.url = "
                    + "failed.unansweredTicket.url.replace(/signature=[0-9a-f]+/, 'signature=00'); })");
            script("window.resultHidden = false");
            row.findElement(By.className("retry")).click();

            awaitRow("unanswered-expired.jpg", "Done");
            assertThat(script("return window.tickets")).as("tickets asked for").isEqualTo(2L);
        }
        finally {
            removeOnNewDocument(count);
        }
    }

    /**
     * A PUT the store refuses (the URL expired while the photo waited, a second PUT with one URL, content that does
     * not match its checksum) says why, as the store does, not just its status; and the photo can be tried again
     * with a new ticket.
     */
    @Test
    @Order(13)
    void aRefusedUploadSaysWhyAndCanBeTriedAgain() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), ROOT.resolve("expired.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        // the first ticket the page gets has expired
        String expire = onNewDocument("""
                const fetchBefore = window.fetch;
                let expired = false;
                window.fetch = async (url, options) => {
                  const response = await fetchBefore(url, options);
                  if (url !== 'uploads' || !response.ok || expired) {
                    return response;
                  }
                  expired = true;
                  const ticket = await response.json();
                  ticket.url = ticket.url.replace(/expires=[0-9]+/, 'expires=1000');
                  return new Response(JSON.stringify(ticket),
                      { status: 201, headers: { 'Content-Type': 'application/json' } });
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFile(photo);
            WebElement row = awaitRow("expired.jpg", "Failed");
            assertThat(row.findElement(By.className("state")).getText()).startsWith(
                    "Failed: the upload was refused (HTTP 403: This upload URL expired at 1970-01-01T00:16:40Z");
            row.findElement(By.tagName("button")).click();
            awaitRow("expired.jpg", "Done");
        }
        finally {
            removeOnNewDocument(expire);
        }
        // S3 says why in XML
        assertThat(script("return refusalText(arguments[0])", """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>900</X-Amz-Expires>                <RequestId>1</RequestId></Error>""")).isEqualTo("Request has expired");
        assertThat(script("return refusalText(arguments[0])", "")).isEqualTo("");
        assertThat(script("return refusalText(arguments[0])", "<html>Forbidden</html>")).isEqualTo("");
    }

    /**
     * A PUT that gets no answer at all (the connection dropped, or the storage's CORS rule refused the page) fails in
     * words a person understands, "network error or blocked by CORS" before, and can be tried again.
     */
    @Test
    @Order(36)
    void anUploadWhoseConnectionDropsSaysSoInPlainWordsAndCanBeTriedAgain() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), ROOT.resolve("dropped.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        // the first ticket names a port nothing listens on: the PUT fails as a dropped connection does
        String drop = onNewDocument("""
                const fetchBefore = window.fetch;
                let dropped = false;
                window.fetch = async (url, options) => {
                  const response = await fetchBefore(url, options);
                  if (url !== 'uploads' || !response.ok || dropped) {
                    return response;
                  }
                  dropped = true;
                  const ticket = await response.json();
                  ticket.url = 'http://127.0.0.1:9/local-uploads/dropped.jpg';
                  return new Response(JSON.stringify(ticket),
                      { status: 201, headers: { 'Content-Type': 'application/json' } });
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFile(photo);
            WebElement row = awaitRow("dropped.jpg", "Failed");
            assertThat(row.findElement(By.className("state")).getText()).isEqualTo("Failed: the upload did not get "
                    + "through: the connection dropped, or the storage turned this page away (CORS)");
            row.findElement(By.tagName("button")).click();
            awaitRow("dropped.jpg", "Done");
        }
        finally {
            removeOnNewDocument(drop);
        }
    }

    /** A phone has nothing to drop files with: the page does not offer it there, and does elsewhere. */
    @Test
    @Order(37)
    void aPhoneIsNotAskedToDropFiles() {
        browser.get("http://localhost:" + port + "/");
        assertThat(browser.findElement(By.className("hint")).getText())
            .isEqualTo("or drop them here. JPEG only, up to the server's size limit.");
        // a touch screen, as Chromium's device mode has it: pointer coarse, no hover
        browser.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 5));
        try {
            browser.navigate().refresh();
            assertThat(browser.findElement(By.className("hint")).getText())
                .isEqualTo("JPEG only, up to the server's size limit.");
            assertThat(browser.findElement(By.cssSelector("header p")).getText()).startsWith("Choose JPEG photos.");
        }
        finally {
            browser.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", false));
        }
    }

    /**
     * Offline when asking for a ticket: the photo failed with the browser's 'Failed to fetch', and needed its Retry.
     * Nothing was sent, so it waits instead, saying the server cannot be reached, and goes on by itself once the
     * network is back.
     */
    @Test
    @Order(14)
    void aPhotoChosenOfflineWaitsSayingSoAndGoesOnOnceTheNetworkIsBack() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), ROOT.resolve("offline.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        browser.get("http://localhost:" + port + "/");
        awaitGalleryLoaded();
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
        try {
            chooseFile(photo);
            WebElement row = awaitRow("offline.jpg", "Waiting: the server cannot be reached, trying again in ");
            assertThat(row.findElements(By.tagName("button"))).isEmpty();
            assertThat(browser.findElement(By.id("status")).getText()).startsWith("The server cannot be reached");
        }
        finally {
            browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
        }
        awaitRow("offline.jpg", "Done");
    }

    /**
     * The server goes away while photos upload (the network dropped, the server stopped): the photos not sent yet
     * each failed within milliseconds of the first, "could not reach the server", each needing its own Retry. They
     * wait instead, saying so, while the page asks the server again after 2, 4, 8 ... seconds, and go on by themselves
     * once it answers. Those whose PUT had begun (held here until they stall) fail with their Retry as before, and one
     * "Retry all failed", reached with the keyboard, takes them all again. The server's absence is played by a
     * stand-in for fetch that rejects as the browser does when nothing answers.
     */
    @Test
    @Order(21)
    @SuppressWarnings("unchecked")
    void photosNotSentYetWaitWhileTheServerCannotBeReachedAndGoOnOnceItAnswers() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("away"));
        List<Path> photos = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            photos.add(Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                    folder.resolve("away-%d.jpg".formatted(i)), StandardCopyOption.REPLACE_EXISTING));
        }
        String away = onNewDocument("""
                window.serverAway = false;
                window.asked = [];
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => {
                  if (window.serverAway) {
                    if (url === 'images?limit=1') {
                      window.asked.push(Date.now());
                    }
                    return Promise.reject(new TypeError('Failed to fetch'));
                  }
                  return fetchBefore(url, options);
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            script("""
                    document.documentElement.dataset.uploadStallSeconds = '2';
                    window.statesSeen = [];
                    new MutationObserver(() => document.querySelectorAll('#uploads li').forEach((row) => window.statesSeen
                      .push(row.querySelector('.name').textContent + ': ' + row.querySelector('.state').textContent)))
                      .observe(document.getElementById('uploads'), { subtree: true, childList: true, characterData: true });""");
            assertThat(browser.findElement(By.id("retry-all")).isDisplayed()).as("nothing to retry yet").isFalse();

            browser.executeCdpCommand("Fetch.enable", Map.of("patterns",
                    List.of(Map.of("urlPattern", "*/local-uploads/*", "requestStage", "Request"))));
            try {
                chooseFiles(photos);
                for (Path photo : photos.subList(0, 3)) {
                    awaitRow(photo.getFileName().toString(), "Uploading");
                }
                script("window.serverAway = true");
                for (Path photo : photos.subList(0, 3)) {
                    WebElement row = awaitRow(photo.getFileName().toString(), "Failed");
                    assertThat(row.findElement(By.className("state")).getText()).startsWith("Failed: the upload stalled");
                    assertThat(row.findElements(By.className("retry"))).hasSize(1);
                }
                for (Path photo : photos.subList(3, 6)) {
                    WebElement row = awaitRow(photo.getFileName().toString(), "Waiting: the server cannot be reached");
                    assertThat(row.findElement(By.className("state")).getText())
                        .matches("Waiting: the server cannot be reached, trying again (in [0-9]+ s|now)");
                    assertThat(row.findElements(By.tagName("button"))).isEmpty();
                }
            }
            finally {
                browser.executeCdpCommand("Fetch.disable", Map.of());
            }

            // the page asks again, less often each time: 2 s after the first failure, then 4 s after that
            awaitTrue("the page asked the server twice", "return window.asked.length >= 2");
            List<Number> asked = (List<Number>) script("return window.asked");
            assertThat(asked.get(1).longValue() - asked.get(0).longValue()).as("ms between the first two asks")
                .isBetween(3500L, 6000L);
            WebElement retryAll = browser.findElement(By.id("retry-all"));
            assertThat(retryAll.isDisplayed()).isTrue();
            assertThat(retryAll.getText()).isEqualTo("Retry all failed (3)");

            script("window.serverAway = false");
            for (Path photo : photos.subList(3, 6)) {
                awaitRow(photo.getFileName().toString(), "Done");
            }
            List<String> seen = (List<String>) script("return window.statesSeen");
            assertThat(seen).as("the photos not sent never failed")
                .noneMatch(state -> state.matches("away-[456]\\.jpg: Failed.*"));

            // keyboard: the button takes the focus with Tab, shows it, and Enter retries the three
            script("document.querySelector('#token-box summary').focus()");
            for (int tabs = 0; tabs < 3 && !"retry-all".equals(browser.switchTo().activeElement().getAttribute("id"));
                    tabs++) {
                browser.switchTo().activeElement().sendKeys(Keys.TAB);
            }
            assertThat(browser.switchTo().activeElement()).isEqualTo(retryAll);
            assertThat(script("return arguments[0].matches(':focus-visible')"
                    + " && getComputedStyle(arguments[0]).outlineStyle !== 'none'", retryAll)).as("visible focus")
                .isEqualTo(true);
            retryAll.sendKeys(Keys.ENTER);
            for (Path photo : photos.subList(0, 3)) {
                assertThat(awaitRow(photo.getFileName().toString(), "Done").findElements(By.tagName("button")))
                    .isEmpty();
            }
            assertThat(retryAll.isDisplayed()).as("nothing left to retry").isFalse();
            assertThat(browser.switchTo().activeElement()).as("the focus goes to the first photo tried again")
                .isEqualTo(awaitRow("away-1.jpg", "Done"));
        }
        finally {
            removeOnNewDocument(away);
        }
    }

    /**
     * The server comes back while photos wait for it: the rows kept saying it could not be reached, for up to 30 s
     * (the check's longest wait), while a photo beside them got its result from it. Any answer ends the wait. Played
     * with a check that never gets through and a photo whose result is held until the server is back.
     */
    @Test
    @Order(28)
    void photosWaitingForTheServerGoOnOnceAnyCallIsAnswered() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("answered"));
        Path processing = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                folder.resolve("answered-first.jpg"), StandardCopyOption.REPLACE_EXISTING);
        Path waiting = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                folder.resolve("answered-waiting.jpg"), StandardCopyOption.REPLACE_EXISTING);
        String away = onNewDocument("""
                window.serverAway = false;
                let release;
                const held = new Promise((resolve) => { release = resolve; });
                window.releaseResult = release;
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => {
                  if (url === 'images?limit=1') {
                    return Promise.reject(new TypeError('Failed to fetch'));
                  }
                  if (window.serverAway && url === 'uploads') {
                    return Promise.reject(new TypeError('Failed to fetch'));
                  }
                  if (String(url).includes('answered-first')) {
                    return held.then(() => fetchBefore(url, options));
                  }
                  return fetchBefore(url, options);
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            chooseFile(processing);
            awaitRow("answered-first.jpg", "Processing");
            script("window.serverAway = true");
            chooseFile(waiting);
            awaitRow("answered-waiting.jpg", "Waiting: the server cannot be reached");

            script("window.serverAway = false; window.releaseResult()");
            awaitRow("answered-first.jpg", "Done");
            // within seconds, not at the next check (which never gets through here)
            new WebDriverWait(browser, Duration.ofSeconds(10))
                .withMessage(() -> "the waiting photo did not go on; uploads: "
                        + browser.findElement(By.id("uploads")).getText())
                .until(driver -> (Boolean) script("return Array.from(document.querySelectorAll('#uploads li')).some("
                        + "(row) => row.querySelector('.name').textContent === 'answered-waiting.jpg'"
                        + " && row.querySelector('.state').textContent.startsWith('Done'))"));
        }
        finally {
            removeOnNewDocument(away);
        }
    }

    /**
     * With a token each thumbnail is fetched (an image from a blob: URL is not cached), and every reload of the
     * gallery, when a photo is done and every 5 s while photos upload, fetched every thumbnail shown again, up to
     * 100 calls through the API's rate limit each time. It keeps the images it shows and fetches the new ones only.
     */
    @Test
    @Order(29)
    @SuppressWarnings("unchecked")
    void aReloadOfTheGalleryWithATokenFetchesOnlyTheNewThumbnails() throws IOException, InterruptedException {
        for (int i = 1; i <= 5; i++) {
            putImage("refetch/refetch-%02d.jpg".formatted(i));
        }
        String counting = onNewDocument("""
                window.thumbnailFetches = [];
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => {
                  if (String(url).startsWith('thumbnails/')) {
                    window.thumbnailFetches.push(String(url));
                  }
                  return fetchBefore(url, options);
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            script("sessionStorage.setItem('token', 'a-token')");
            browser.navigate().refresh();
            String loaded = "Array.from(document.querySelectorAll('#gallery img[alt^=refetch-]')).every((image) =>"
                    + " image.src.startsWith('blob:') && image.complete && image.naturalWidth > 0)";
            awaitTrue("the gallery shows its thumbnails, fetched with the token",
                    "return document.querySelectorAll('#gallery img[alt^=refetch-]').length === 5 && " + loaded);
            script("window.thumbnailFetches = []");

            Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                    Files.createDirectories(ROOT.resolve("refetch")).resolve("refetch-new.jpg"),
                    StandardCopyOption.REPLACE_EXISTING);
            chooseFile(photo);
            awaitRow("refetch-new.jpg", "Done");
            awaitTrue("the gallery shows the new photo first", "const caption = document.querySelector('#gallery .caption');"
                    + " return caption !== null && caption.textContent === 'refetch-new.jpg' && " + loaded);
            assertThat((List<String>) script("return window.thumbnailFetches")).as("thumbnails fetched")
                .anyMatch(url -> url.endsWith("-refetch-new.jpg"))
                .noneMatch(url -> url.contains("refetch/refetch-0"));
        }
        finally {
            removeOnNewDocument(counting);
        }
    }

    /**
     * A proxy, firewall or extension that refuses the upload's calls but lets the page's check of the server through:
     * the photo waited, the check found the server, the photo failed to reach it again and waited again, for ever.
     * It waits once; unreachable again after the server answered, it fails with its Retry button.
     */
    @Test
    @Order(24)
    void aPhotoWhoseCallsAreBlockedWhileTheServerAnswersFailsInsteadOfWaitingForEver() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("blocked")).resolve("blocked.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        String blocked = onNewDocument("""
                window.asked = 0;
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => {
                  if (url === 'uploads') {
                    return Promise.reject(new TypeError('Failed to fetch'));
                  }
                  if (url === 'images?limit=1') {
                    window.asked++;
                  }
                  return fetchBefore(url, options);
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            // the gallery's first answer would end the wait as the check does
            awaitTrue("the gallery loaded", "return document.querySelectorAll('#gallery li').length"
                    + " || !document.getElementById('gallery-empty').hidden");
            chooseFiles(List.of(photo));

            WebElement row = awaitRow("blocked.jpg", "Failed");
            assertThat(row.findElement(By.className("state")).getText())
                .startsWith("Failed: could not reach the server");
            assertThat(row.findElements(By.className("retry"))).hasSize(1);
            assertThat(script("return window.asked")).as("checks of the server").isEqualTo(1L);
        }
        finally {
            removeOnNewDocument(blocked);
        }
    }

    /**
     * A photo the store took whose result did not come in time (slow or failed processing, retried on AWS): its "Retry"
     * uploaded it again under a new key, so once the first was processed too the photo was there twice. It asks for the
     * result again instead ("Check again"), and nothing is uploaded a second time.
     */
    @Test
    @Order(25)
    void aStoredPhotoWhoseResultIsLateIsCheckedAgainNotUploadedAgain() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("late")).resolve("late.jpg"), StandardCopyOption.REPLACE_EXISTING);
        String late = onNewDocument(RESULTS_HIDDEN_TICKETS_COUNTED);
        try {
            browser.get("http://localhost:" + port + "/");
            script("document.documentElement.dataset.resultWaitSeconds = '2'");
            chooseFiles(List.of(photo));

            WebElement row = awaitRow("late.jpg", "Failed");
            assertThat(row.findElement(By.className("state")).getText()).isEqualTo("Failed: no result after 2 seconds");
            WebElement checkAgain = row.findElement(By.className("retry"));
            assertThat(checkAgain.getText()).isEqualTo("Check again");
            // a button like the Retry one, not the browser's grey default
            assertThat(checkAgain.getAttribute("class")).isEqualTo("button secondary retry");
            assertThat(checkAgain.getCssValue("cursor")).isEqualTo("pointer");
            assertThat(browser.findElement(By.id("retry-all")).isDisplayed()).as("not an upload to retry").isFalse();

            script("window.resultHidden = false");
            checkAgain.click();
            assertThat(awaitRow("late.jpg", "Done").findElements(By.tagName("button"))).isEmpty();
            assertThat(script("return window.tickets")).as("tickets asked for: one upload").isEqualTo(1L);
        }
        finally {
            removeOnNewDocument(late);
        }
    }

    /**
     * The list of uploads only grew: after a few batches the gallery was far below. "Clear finished" takes the rows with
     * nothing left to do (done, rejected, or failed beyond any retry) and leaves those a button can still mend.
     */
    @Test
    @Order(26)
    void clearFinishedTakesTheRowsWithNothingLeftToDoAndKeepsTheOnesToRetry() throws IOException {
        Path folder = Files.createDirectories(ROOT.resolve("clear"));
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), folder.resolve("kept-photo.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        Path text = Files.copy(CORPUS.resolve("not-jpeg/plain-text.jpg"), folder.resolve("kept-text.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        Path blocked = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), folder.resolve("kept-retry.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        String stub = onNewDocument("""
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => {
                  // one photo's ticket is refused by a stand-in for a failing server (500): it keeps its Retry
                  if (url === 'uploads' && String(options && options.body).includes('kept-retry')) {
                    return Promise.resolve(new Response('', { status: 500 }));
                  }
                  return fetchBefore(url, options);
                };""");
        try {
            browser.get("http://localhost:" + port + "/");
            WebElement clear = browser.findElement(By.id("clear-finished"));
            assertThat(clear.isDisplayed()).as("nothing finished yet").isFalse();
            chooseFiles(List.of(photo, text));
            awaitRow("kept-photo.jpg", "Done");
            awaitRow("kept-text.jpg", "Rejected");
            chooseFile(CORPUS.resolve("malformed/empty-0-bytes.jpg"));
            awaitRow("empty-0-bytes.jpg", "Failed");
            chooseFile(blocked);
            WebElement retry = awaitRow("kept-retry.jpg", "Failed");
            assertThat(retry.findElements(By.className("retry"))).hasSize(1);
            assertThat(clear.isDisplayed()).isTrue();
            assertThat(clear.getText()).isEqualTo("Clear finished (3)");

            clear.sendKeys(Keys.ENTER);

            assertThat(browser.findElements(By.cssSelector("#uploads li .name")))
                .extracting(WebElement::getText)
                .containsExactly("kept-retry.jpg");
            assertThat(clear.isDisplayed()).as("nothing finished left").isFalse();
            assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("file-input");
        }
        finally {
            removeOnNewDocument(stub);
        }
    }

    /**
     * The check of the server gives up after 10 s; with AbortSignal.timeout, which Safari before 16 (iOS 15) does not
     * have, the check threw before asking anything, every time, and the photos waited for ever for a server that was
     * back. Played here by a browser without it.
     */
    @Test
    @Order(27)
    void photosWaitingForTheServerGoOnInABrowserWithoutAbortSignalTimeout() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("old-safari")).resolve("old-safari.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        String oldBrowser = onNewDocument("""
                delete AbortSignal.timeout;
                window.serverAway = false;
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => window.serverAway
                    ? Promise.reject(new TypeError('Failed to fetch'))
                    : fetchBefore(url, options);""");
        try {
            browser.get("http://localhost:" + port + "/");
            assertThat(script("return typeof AbortSignal.timeout")).isEqualTo("undefined");
            script("window.serverAway = true");
            chooseFile(photo);
            awaitRow("old-safari.jpg", "Waiting: the server cannot be reached");

            script("window.serverAway = false");
            awaitRow("old-safari.jpg", "Done");
        }
        finally {
            removeOnNewDocument(oldBrowser);
        }
    }

    /**
     * Some Android pickers call a JPEG image/jpg, and old browsers image/pjpeg: the API takes image/jpeg alone, so
     * such a photo failed ("not a JPEG photo (the file is image/jpg)"). The page asks for its ticket and PUTs it as
     * image/jpeg; the server still checks the content.
     */
    @Test
    @Order(22)
    @SuppressWarnings("unchecked")
    void aJpegTheBrowserCallsImageJpgOrPjpegUploadsAsImageJpeg() throws IOException {
        String photo = java.util.Base64.getEncoder()
            .encodeToString(Files.readAllBytes(CORPUS.resolve("valid/restart-markers-33x33.jpg")));
        browser.get("http://localhost:" + port + "/");
        script("""
                window.typesSent = [];
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => {
                  if (url === 'uploads') {
                    window.typesSent.push('ticket ' + JSON.parse(options.body).contentType);
                  }
                  return fetchBefore(url, options);
                };
                const headerBefore = XMLHttpRequest.prototype.setRequestHeader;
                XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
                  if (name.toLowerCase() === 'content-type') {
                    window.typesSent.push('put ' + value);
                  }
                  return headerBefore.apply(this, arguments);
                };
                const bytes = Uint8Array.from(atob(arguments[0]), (character) => character.charCodeAt(0));
                uploadAll([new File([bytes], 'p.jpg', { type: 'image/jpg' }),
                    new File([bytes], 'old-browser.jpg', { type: 'image/pjpeg' })]);""", photo);

        assertThat(awaitRow("p.jpg", "Done").findElements(By.tagName("img"))).hasSize(1);
        assertThat(awaitRow("old-browser.jpg", "Done").findElements(By.tagName("img"))).hasSize(1);
        assertThat((List<String>) script("return window.typesSent")).containsExactlyInAnyOrder("ticket image/jpeg",
                "put image/jpeg", "ticket image/jpeg", "put image/jpeg");
    }

    /**
     * A token holding a character no HTTP header can carry (here a typographic ellipsis pasted with it) makes the
     * browser refuse every call that sends it, before sending, just as when no server answers. The page took that for
     * an unreachable server: the photo waited for ever, "the server cannot be reached", while the page asked a server
     * that was there with the same token, and so did a photo already waiting for a server that came back. Both fail,
     * saying it is the token, and can be tried again once it is pasted anew.
     */
    @Test
    @Order(23)
    void aTokenNoHeaderCanCarryIsNotTakenForAnUnreachableServer() throws IOException {
        Path first = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"), ROOT.resolve("token-mark.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        Path second = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                ROOT.resolve("token-mark-later.jpg"), StandardCopyOption.REPLACE_EXISTING);
        String away = onNewDocument("""
                window.serverAway = false;
                const fetchBefore = window.fetch;
                window.fetch = (url, options) => window.serverAway
                    ? Promise.reject(new TypeError('Failed to fetch'))
                    : fetchBefore(url, options);""");
        try {
            browser.get("http://localhost:" + port + "/");
            script("document.getElementById('token-input').value = 'eyJhbGciOiJIUzI1NiJ9\u2026'");
            chooseFile(first);
            WebElement row = awaitRow("token-mark.jpg", "Failed");
            assertThat(row.findElement(By.className("state")).getText()).contains("access token");
            assertThat(row.findElements(By.className("retry"))).hasSize(1);

            // waiting for a server that went away, when the token is pasted wrong: the page still sees it come back
            script("document.getElementById('token-input').value = ''; window.serverAway = true");
            chooseFile(second);
            awaitRow("token-mark-later.jpg", "Waiting: the server cannot be reached");
            script("document.getElementById('token-input').value = 'eyJhbGciOiJIUzI1NiJ9\u2026';"
                    + " window.serverAway = false");
            WebElement later = awaitRow("token-mark-later.jpg", "Failed");
            assertThat(later.findElement(By.className("state")).getText()).contains("access token");

            // pasted anew, the photos go
            script("document.getElementById('token-input').value = ''");
            browser.findElement(By.id("retry-all")).click();
            awaitRow("token-mark.jpg", "Done");
            awaitRow("token-mark-later.jpg", "Done");
        }
        finally {
            removeOnNewDocument(away);
        }
    }

    /** A photo named in another script is captioned by its name in the gallery, not "photo.jpg". */
    @Test
    @Order(35)
    void aPhotoNamedInAnotherScriptKeepsItsNameInTheGallery() throws IOException {
        Path photo = Files.copy(CORPUS.resolve("valid/restart-markers-33x33.jpg"),
                Files.createDirectories(ROOT.resolve("script")).resolve("Фото отпуск.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        browser.get("http://localhost:" + port + "/");

        chooseFile(photo);

        awaitRow("Фото отпуск.jpg", "Done");
        awaitTrue("the gallery captions the photo by its name", "return Array.from(document.querySelectorAll("
                + "'#gallery .caption')).some((caption) => caption.textContent === 'фото-отпуск.jpg')");
    }

    /**
     * Uploads the photo with the store's answer held back (the store takes the PUT, its answer never reaches the
     * page) and waits, 2 s each, for the answer and the result (hide it with {@link #RESULTS_HIDDEN_TICKETS_COUNTED}),
     * until the photo's row says it failed.
     */
    private WebElement failedUnanswered(Path photo) {
        browser.get("http://localhost:" + port + "/");
        script("document.documentElement.dataset.uploadAnswerSeconds = '2'");
        script("document.documentElement.dataset.resultWaitSeconds = '2'");
        browser.executeCdpCommand("Fetch.enable", Map.of("patterns",
                List.of(Map.of("urlPattern", "*/local-uploads/*", "requestStage", "Response"))));
        try {
            chooseFile(photo);
            return awaitRow(photo.getFileName().toString(), "Failed");
        }
        finally {
            browser.executeCdpCommand("Fetch.disable", Map.of());
        }
    }

    private void chooseFile(Path file) {
        browser.findElement(By.id("file-input")).sendKeys(file.toAbsolutePath().toString());
    }

    /** Chooses several files at once, as a user selecting them in the file chooser does. */
    private void chooseFiles(List<Path> files) {
        browser.findElement(By.id("file-input"))
            .sendKeys(String.join("\n", files.stream().map(file -> file.toAbsolutePath().toString()).toList()));
    }

    /** Runs this script in every page the browser opens from now on, before the page's own; returns its id. */
    private String onNewDocument(String source) {
        return (String) browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source))
            .get("identifier");
    }

    private void removeOnNewDocument(String identifier) {
        browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", identifier));
    }

    /** Stores a photo at this key the way another client would (PUT /images/{key}), past the page. */
    private void putImage(String encodedKey) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
            .newBuilder(java.net.URI.create("http://localhost:" + port + "/images/" + encodedKey))
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofFile(CORPUS.resolve("valid/restart-markers-33x33.jpg")))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }

    /**
     * Waits for the answer to the gallery's first load, for a test that takes the network away next: that answer, if
     * it came after a photo found no server, would count as the server answering again (any answer does), and the
     * photo would try again at once, still offline, and fail for good (a photo waits for the server once). A slow
     * first load (a cold JVM, as when the class runs alone) made the photos of
     * aFileThePageRefusesFailsAtOnceEvenWhileTheQueueWaits fail so.
     */
    private void awaitGalleryLoaded() {
        awaitTrue("the gallery's first load was answered",
                "return document.getElementById('gallery').children.length > 0"
                        + " || !document.getElementById('gallery-empty').hidden"
                        + " || !document.getElementById('gallery-error').hidden");
    }

    /** The upload row of this file once its state starts with {@code state}; fails with the row's text otherwise. */
    private WebElement awaitRow(String fileName, String state) {
        By row = By.xpath("//ul[@id='uploads']/li[span[@class[contains(., 'name')]][text()='" + fileName + "']]");
        new WebDriverWait(browser, RESULT_TIMEOUT).withMessage(() -> fileName + " did not reach '" + state
                + "'; uploads: " + browser.findElement(By.id("uploads")).getText())
            .until(driver -> driver.findElements(row)
                .stream()
                .anyMatch(item -> item.findElement(By.className("state")).getText().startsWith(state)));
        List<WebElement> rows = browser.findElements(row);
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    private void awaitTrue(String what, String script, Object... arguments) {
        new WebDriverWait(browser, RESULT_TIMEOUT).withMessage(what)
            .until(driver -> {
                Object result = ((JavascriptExecutor) driver).executeScript(script, arguments);
                return result instanceof Boolean b ? b : result instanceof Number n && n.intValue() > 0;
            });
    }

    private Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

}
