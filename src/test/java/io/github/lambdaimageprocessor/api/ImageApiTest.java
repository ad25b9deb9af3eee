package io.github.lambdaimageprocessor.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.processing.BackfillRun;
import io.github.lambdaimageprocessor.processing.EventInfo;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.InMemoryImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.Page;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.RecentFirst;
import io.github.lambdaimageprocessor.processing.Uploads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link ImageApi} in one region of a two-region pair, where the other region may have processed an upload. */
class ImageApiTest {

    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

    private final InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();

    private final InMemoryImageStore store = new InMemoryImageStore();

    private ImageApi api(String peerUploadBucket) {
        return new ImageApi(new Uploads(new HmacUploadSigner(new byte[32], Clock.systemUTC()), "uploads-here",
                "browser/", 1_000_000, Duration.ofMinutes(5)), metadata, store,
                new OutputLocation("thumbnails-here", "thumbnails/"), "uploads-here", peerUploadBucket,
                thumbnail -> URI.create("https://" + thumbnail.bucket() + ".example/" + thumbnail.key()));
    }

    private void recordedUnder(String uploadBucket, String processedBucket, String key) {
        metadata.save(ProcessedImage.processed(new ImageObject(uploadBucket, key, 1000, 800, 5000L, "image/jpeg"),
                new ImageObject(processedBucket, "thumbnails/" + key, 256, 205, 900L, "image/jpeg"), AT));
    }

    @Test
    void findsARecordMadeByThePeerRegion() {
        recordedUnder("uploads-there", "thumbnails-there", "browser/a.jpg");

        assertThat(api("uploads-there").status("browser/a.jpg").source().bucket()).isEqualTo("uploads-there");
    }

    @Test
    void linksToTheReplicaOfThePeersThumbnailInThisRegion() {
        recordedUnder("uploads-there", "thumbnails-there", "browser/a.jpg");
        store.write(new ObjectRef("thumbnails-here", "thumbnails/browser/a.jpg"), new byte[] { 1 }, "image/jpeg",
                Map.of());

        assertThat(api("uploads-there").thumbnail("browser/a.jpg")).isEqualTo(new ThumbnailReply.Redirect(
                URI.create("https://thumbnails-here.example/thumbnails/browser/a.jpg")));
    }

    @Test
    void aPeersThumbnailNotReplicatedHereYetIsNotFoundForNow() {
        recordedUnder("uploads-there", "thumbnails-there", "browser/a.jpg");

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api("uploads-there").thumbnail("browser/a.jpg"))
            .satisfies(e -> assertThat(e.status()).isEqualTo(404))
            .withMessageContaining("being replicated here");
    }

    /** The upload the thumbnail is for is the peer's: this region's bucket may have no such object at all. */
    @Test
    void aPeersThumbnailNotReplicatedYetIsNamedByThePeersUpload() {
        recordedUnder("uploads-there", "thumbnails-there", "browser/a.jpg");

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api("uploads-there").thumbnail("browser/a.jpg"))
            .withMessageContaining("s3://uploads-there/browser/a.jpg")
            .withMessageNotContaining("uploads-here");
    }

    /**
     * A delivery saves its record (its claim) before it writes the thumbnail, and a delivery that failed in between
     * leaves the record without one until a retry: a link then would send the client to the store's own 404.
     */
    @Test
    void aThumbnailNotWrittenYetBehindAClaimedRecordIsNotFoundForNow() {
        metadata.save(ProcessedImage.processed(new ImageObject("uploads-here", "browser/a.jpg", 1000, 800, 5000L,
                "image/jpeg"), new ImageObject("thumbnails-here", "thumbnails/browser/a.jpg", 256, 205, 900L,
                        "image/jpeg"), AT)
            .withEvent(new EventInfo(new ObjectVersion(null, "e1", "0055AED6DCD90281E5"), "req-1")));

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api(null).thumbnail("browser/a.jpg"))
            .satisfies(e -> assertThat(e.status()).isEqualTo(404))
            .withMessageContaining("being made");

        store.write(new ObjectRef("thumbnails-here", "thumbnails/browser/a.jpg"), new byte[] { 1 }, "image/jpeg",
                Map.of());
        assertThat(api(null).thumbnail("browser/a.jpg")).isEqualTo(new ThumbnailReply.Redirect(
                URI.create("https://thumbnails-here.example/thumbnails/browser/a.jpg")));
    }

    /**
     * For a page on another origin, which cannot read a redirected fetch: the bytes, though the store makes links,
     * with the same refusals as the link.
     */
    @Test
    void theContentIsTheThumbnailsBytesEvenWhereTheStoreMakesLinks() {
        recordedUnder("uploads-there", "thumbnails-there", "browser/a.jpg");

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api("uploads-there")
            .thumbnailContent("browser/a.jpg"))
            .satisfies(e -> assertThat(e.status()).isEqualTo(404))
            .withMessageContaining("being replicated here");
        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api("uploads-there")
            .thumbnailContent("browser/none.jpg"))
            .satisfies(e -> assertThat(e.status()).isEqualTo(404));

        store.write(new ObjectRef("thumbnails-here", "thumbnails/browser/a.jpg"), new byte[] { 1, 2 }, "image/jpeg",
                Map.of());
        ThumbnailReply.Content content = api("uploads-there").thumbnailContent("browser/a.jpg");
        assertThat(content.jpeg()).containsExactly(1, 2);
        assertThat(content.contentType()).isEqualTo("image/jpeg");
    }

    /** Once notified, the thumbnail was written before: linked without asking the store. */
    @Test
    void aNotifiedRecordsThumbnailIsLinkedWithoutALookup() {
        metadata.save(ProcessedImage.processed(new ImageObject("uploads-here", "browser/a.jpg", 1000, 800, 5000L,
                "image/jpeg"), new ImageObject("thumbnails-here", "thumbnails/browser/a.jpg", 256, 205, 900L,
                        "image/jpeg"), AT).withNotifiedAt(AT));

        assertThat(api(null).thumbnail("browser/a.jpg")).isEqualTo(new ThumbnailReply.Redirect(
                URI.create("https://thumbnails-here.example/thumbnails/browser/a.jpg")));
    }

    /** The path both flavours put in a Location is the one Spring's path encoding gives, with ';' encoded too. */
    @Test
    void aKeysPathIsEncodedAsSpringEncodesAPath() {
        for (String key : new String[] { "browser/2026-12-04/a.jpg", "my photo(1).jpg", "a;b.jpg", "100%.jpg",
                "caf\u00E9/\uD83D\uDCF7.jpg", "a?b#c.jpg", "a+b=c&d,e:f@g!$'*~.jpg", "\"<>\\^`{|}.jpg" }) {
            String spring = UriUtils.encodePath(key, StandardCharsets.UTF_8);
            assertThat(ImageApi.pathOf(key)).as(key).isEqualTo(spring.replace(";", "%3B"));
        }
    }

    /**
     * A backfill that notifies nothing (the default) leaves {@code notifiedAt} unset for good, after it wrote the
     * thumbnail: not a claim, so linked without asking the store on every request.
     */
    @Test
    void aRecordOfABackfillThatNotifiesNothingIsLinkedWithoutALookup() {
        metadata.save(ProcessedImage.processed(new ImageObject("uploads-here", "browser/a.jpg", 1000, 800, 5000L,
                "image/jpeg"), new ImageObject("thumbnails-here", "thumbnails/browser/a.jpg", 256, 205, 900L,
                        "image/jpeg"), AT)
            .withEvent(new EventInfo(new ObjectVersion(null, "e1", null), null))
            .withBackfill(BackfillRun.of("job-1", false)));

        assertThat(api(null).thumbnail("browser/a.jpg")).isEqualTo(new ThumbnailReply.Redirect(
                URI.create("https://thumbnails-here.example/thumbnails/browser/a.jpg")));
    }

    /** A backfill that is to notify saves its record before the thumbnail, as a delivery does: looked up. */
    @Test
    void aThumbnailNotWrittenYetBehindANotifyingBackfillsRecordIsNotFoundForNow() {
        metadata.save(ProcessedImage.processed(new ImageObject("uploads-here", "browser/a.jpg", 1000, 800, 5000L,
                "image/jpeg"), new ImageObject("thumbnails-here", "thumbnails/browser/a.jpg", 256, 205, 900L,
                        "image/jpeg"), AT)
            .withEvent(new EventInfo(new ObjectVersion(null, "e1", null), null))
            .withBackfill(BackfillRun.of(null, true)));

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api(null).thumbnail("browser/a.jpg"))
            .satisfies(e -> assertThat(e.status()).isEqualTo(404))
            .withMessageContaining("being made");
    }

    @Test
    void prefersThisRegionsRecord() {
        recordedUnder("uploads-there", "thumbnails-there", "browser/a.jpg");
        recordedUnder("uploads-here", "thumbnails-here", "browser/a.jpg");

        assertThat(api("uploads-there").status("browser/a.jpg").source().bucket()).isEqualTo("uploads-here");
    }

    /**
     * A key uploaded again while the other region was active (a fixed key, say an avatar, overwritten during a failover)
     * has a record under each bucket: this region's is the earlier upload's, which the status must not answer for.
     */
    @Test
    void answersForThePeersRecordWhenItIsTheLaterUpload() {
        recordedUnder("uploads-here", "thumbnails-here", "avatars/a.jpg");
        metadata.save(ProcessedImage.rejected(new ImageObject("uploads-there", "avatars/a.jpg", null, null, 40L, null),
                "not a JPEG", AT.plus(Duration.ofHours(1))));

        ImageApi api = api("uploads-there");

        assertThat(api.status("avatars/a.jpg").source().bucket()).isEqualTo("uploads-there");
        // the earlier upload's thumbnail, still in this region's bucket, is not served for the rejected later one
        store.write(new ObjectRef("thumbnails-here", "thumbnails/avatars/a.jpg"), new byte[] { 1 }, "image/jpeg",
                Map.of());
        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api.thumbnail("avatars/a.jpg"))
            .satisfies(e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void answersForThisRegionsRecordWhenItIsTheLaterUpload() {
        metadata.save(ProcessedImage.processed(new ImageObject("uploads-there", "avatars/a.jpg", 1000, 800, 5000L,
                "image/jpeg"), new ImageObject("thumbnails-there", "thumbnails/avatars/a.jpg", 256, 205, 900L,
                        "image/jpeg"), AT.minus(Duration.ofHours(1))));
        recordedUnder("uploads-here", "thumbnails-here", "avatars/a.jpg");

        assertThat(api("uploads-there").status("avatars/a.jpg").source().bucket()).isEqualTo("uploads-here");
    }

    @Test
    void withoutAPeerOnlyThisRegionsRecordsAreFound() {
        recordedUnder("uploads-there", "thumbnails-there", "browser/a.jpg");

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api(null).status("browser/a.jpg"))
            .satisfies(e -> assertThat(e.status()).isEqualTo(404));
        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api(null).thumbnail("browser/a.jpg"))
            .satisfies(e -> assertThat(e.status()).isEqualTo(404));
    }

    private void recordedUnder(String uploadBucket, String key, Instant at) {
        metadata.save(ProcessedImage.processed(new ImageObject(uploadBucket, key, 1000, 800, 5000L, "image/jpeg"),
                new ImageObject("thumbnails", "thumbnails/" + key, 256, 205, 900L, "image/jpeg"), at));
    }

    /** Every page of the listing from the first, each checked against the limit. */
    private List<ProcessedImage> everyPage(ImageApi api, int limit) {
        List<ProcessedImage> listed = new ArrayList<>();
        String cursor = null;
        do {
            Page<ProcessedImage> page = api.recent(Integer.toString(limit), cursor);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            if (page.next() != null) {
                // a page short of the limit with more to come would look like the end to a client that stops there
                assertThat(page.items()).hasSize(limit);
            }
            listed.addAll(page.items());
            cursor = page.next();
        }
        while (cursor != null);
        return listed;
    }

    /**
     * The gallery of a pair lists a key recorded under both buckets (uploaded again while the other region was active)
     * once, as the record {@link ImageApi#status} answers for: it listed both, the earlier upload's too.
     */
    @Test
    void aKeyRecordedUnderBothBucketsIsListedOnceAsItsLaterRecord() {
        recordedUnder("uploads-here", "avatars/a.jpg", AT);
        recordedUnder("uploads-here", "avatars/b.jpg", AT.plusSeconds(60));
        recordedUnder("uploads-there", "avatars/a.jpg", AT.plusSeconds(120));
        recordedUnder("uploads-there", "avatars/c.jpg", AT.plusSeconds(180));
        recordedUnder("uploads-here", "avatars/c.jpg", AT.plusSeconds(240));

        assertThat(api("uploads-there").recent(null, null).items()).extracting(image -> image.source().ref())
            .containsExactly(new ObjectRef("uploads-here", "avatars/c.jpg"), new ObjectRef("uploads-there",
                    "avatars/a.jpg"), new ObjectRef("uploads-here", "avatars/b.jpg"));
    }

    @Test
    void aKeyRecordedUnderBothBucketsAtOneInstantIsListedAsThisRegions() {
        recordedUnder("uploads-here", "avatars/a.jpg", AT);
        recordedUnder("uploads-there", "avatars/a.jpg", AT);

        assertThat(api("uploads-there").recent(null, null).items()).extracting(image -> image.source().ref())
            .containsExactly(new ObjectRef("uploads-here", "avatars/a.jpg"));
        // the other region of the pair, whose bucket sorts after its peer's: the tie goes to it there
        ImageApi there = new ImageApi(new Uploads(new HmacUploadSigner(new byte[32], Clock.systemUTC()),
                "uploads-there", "browser/", 1_000_000, Duration.ofMinutes(5)), metadata, store,
                new OutputLocation("thumbnails-there", "thumbnails/"), "uploads-there", "uploads-here", null);
        assertThat(there.recent(null, null).items()).extracting(image -> image.source().ref())
            .containsExactly(new ObjectRef("uploads-there", "avatars/a.jpg"));
    }

    /**
     * A key's two records may be pages apart: the earlier is left out of its page all the same, and the page is
     * filled from the records after it, so no key is lost or repeated and no page is over the limit.
     */
    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4, 7, 100 })
    void pagesListEveryKeyOnceWhateverTheLimit(int limit) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String key = "browser/" + i + ".jpg";
            keys.add(key);
            // every key here, every third there too, later or earlier, some far apart
            recordedUnder("uploads-here", key, AT.plusSeconds(10L * i));
            if (i % 3 == 0) {
                recordedUnder("uploads-there", key, AT.plusSeconds(10L * ((i * 7) % 13) + 5));
            }
        }
        ImageApi api = api("uploads-there");

        List<ProcessedImage> listed = everyPage(api, limit);

        assertThat(listed).extracting(image -> image.source().key()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(listed).allSatisfy(image -> assertThat(image).isEqualTo(api.status(image.source().key())));
        assertThat(listed).isSortedAccordingTo(RecentFirst.ORDER);
    }

    @Test
    void withoutAPeerRecordsOfOtherBucketsAreListedAsStored() {
        recordedUnder("uploads-here", "avatars/a.jpg", AT);
        recordedUnder("uploads-there", "avatars/a.jpg", AT.plusSeconds(60));

        assertThat(api(null).recent(null, null).items()).hasSize(2);
    }

    /**
     * A key of up to 1,024 bytes of any characters: a 404 quoted it whole, control characters and all (an ANSI escape
     * reached a terminal showing the detail), and twice for a thumbnail.
     */
    @Test
    void aMissingKeyIsQuotedCutShortWithItsControlCharactersEscaped() {
        String key = "a\nb\u001B[31m\u202E" + "x".repeat(1000) + ".jpg";
        ImageApi api = api("uploads-there");

        for (Runnable call : List.<Runnable>of(() -> api.status(key), () -> api.thumbnail(key),
                () -> api.thumbnailContent(key))) {
            assertThatExceptionOfType(ApiException.class).isThrownBy(call::run).satisfies(e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.getMessage()).contains("a\\u000Ab\\u001B[31m\\u202Ex").contains("x\u2026")
                    .doesNotContain("x".repeat(101))
                    .hasSizeLessThan(400);
                assertThat(e.getMessage().codePoints()).noneMatch(c -> Character.isISOControl(c) || c == 0x202E);
            });
        }
    }

    @Test
    void aRefusedLimitOrCursorIsQuotedCutShortWithItsControlCharactersEscaped() {
        String sent = "\u001B[2J" + "9".repeat(5000);

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api(null).recent(sent, null))
            .satisfies(e -> assertThat(e.getMessage()).contains("\\u001B[2J9").hasSizeLessThan(300));
        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api(null).recent(null, sent))
            .satisfies(e -> assertThat(e.getMessage()).contains("\\u001B[2J9").hasSizeLessThan(300));
    }

    /**
     * A limit is written in ASCII digits: Integer.parseInt also reads a sign and the digits of every script, so
     * "+5" and Arabic-Indic "٥" were five, where every other numeric field of the API refuses them.
     */
    @ParameterizedTest
    @ValueSource(strings = { "+5", "-0", "\u0665", "\uff15", "5x", "", "1e2" })
    void refusesALimitThatIsNotPlainDigits(String limit) {
        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> api(null).recent(limit, null))
            .satisfies(e -> assertThat(e.status()).isEqualTo(400))
            .withMessageContaining("whole number from 1 to");
    }

    @ParameterizedTest
    @ValueSource(strings = { "5", " 5 ", "005" })
    void readsALimitOfPlainDigits(String limit) {
        recordedUnder("uploads-here", "thumbnails-here", "browser/a.jpg");

        assertThat(api(null).recent(limit, null).items()).hasSize(1);
    }
}
