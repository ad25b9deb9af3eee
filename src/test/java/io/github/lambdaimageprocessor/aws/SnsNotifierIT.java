package io.github.lambdaimageprocessor.aws;

import java.util.List;

import io.github.lambdaimageprocessor.processing.EventInfo;
import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.NotifierContract;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The notifier contract against moto's SNS, read back through an SQS queue subscribed to the topic, the way an email
 * subscriber would get it.
 */
class SnsNotifierIT extends NotifierContract {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    private SnsNotifier notifier;

    @BeforeEach
    void createTopic() {
        aws = AwsFixture.create(moto);
        notifier = new SnsNotifier(aws.sns, aws.topicArn);
    }

    @Override
    protected Notifier notifier() {
        return notifier;
    }

    @Override
    protected List<String> delivered(int expected) {
        return aws.notifications(expected).stream().map(n -> n.subject() + "\n" + n.message()).toList();
    }

    @Test
    void aProcessedImageGetsAReadableSubjectBodyAndAStatusAttribute() {
        notifier.imageProcessed(processed("photos/my photo(1).jpg").withEvent(new EventInfo(ObjectVersion.UNKNOWN, "req-7")));

        AwsFixture.Notification notification = aws.notifications(1).getFirst();
        assertThat(notification.subject()).isEqualTo("Thumbnail ready: my photo(1).jpg");
        assertThat(notification.message()).isEqualTo("""
                A thumbnail was made of s3://uploads/photos/my photo(1).jpg.

                Original:  2725x2225 pixels, 829,183 bytes, image/jpeg
                Thumbnail: 256x209 pixels, 13,851 bytes, image/jpeg
                           at s3://processed/thumbnails/photos/my photo(1).jpg

                Status:    PROCESSED
                Decided:   2026-11-26T10:15:30Z
                Request:   req-7
                """);
        assertThat(notification.attributes()).containsEntry("status", "String:PROCESSED")
            .containsEntry("sourceBucket", "String:uploads")
            .containsEntry("sourceKey", "String:photos/my photo(1).jpg");
    }

    @Test
    void aRejectedImageIsNotifiedWithItsReasonAndStatusRejected() {
        notifier.imageProcessed(rejected("notes.jpg"));

        AwsFixture.Notification notification = aws.notifications(1).getFirst();
        assertThat(notification.subject()).isEqualTo("Image rejected: notes.jpg");
        assertThat(notification.message()).contains("Reason:    not a JPEG: content is text")
            .contains("Original:  45 bytes, text/plain")
            .contains("A thumbnail of an earlier upload to this key, if there was one, has been removed.");
        assertThat(notification.attributes()).containsEntry("status", "String:REJECTED");
    }

    @ParameterizedTest(name = "key \"{0}\"")
    @ValueSource(strings = { "café €.jpg", "日本語/写真.jpg", "line\nbreak\r.jpg", "tab\tand\u0001control.jpg",
            "   .jpg", "€€€", "x/" })
    void theSubjectIsAlwaysValidForSns(String key) {
        notifier.imageProcessed(processed(key));

        String subject = aws.notifications(1).getFirst().subject();
        assertThat(subject).hasSizeLessThan(100).matches("[\\x20-\\x7E]+").startsWith("Thumbnail ready: ");
    }

    @Test
    void theSubjectKeepsAccentedLettersReadableAndShortensLongNamesFromTheFront() {
        assertThat(SnsNotifier.subject(processed("albums/café €.jpg"))).isEqualTo("Thumbnail ready: cafe ?.jpg");
        String longName = "a".repeat(200) + "-end.jpg";
        assertThat(SnsNotifier.subject(processed(longName))).hasSize(99).endsWith("aaa-end.jpg").contains("...");
    }

    @Test
    void controlCharactersInTheKeyAreShownEscapedInTheBody() {
        ProcessedImage image = rejected("evil\u0007\nname.jpg");

        assertThat(SnsNotifier.body(image)).contains("s3://uploads/evil\\u0007\\u000Aname.jpg");
    }

    @Test
    void aMissingTopicIsAnInfrastructureFailure() {
        SnsNotifier wrongTopic = new SnsNotifier(aws.sns, "arn:aws:sns:us-east-1:123456789012:no-such-topic");

        assertThatExceptionOfType(AwsCallFailedException.class)
            .isThrownBy(() -> wrongTopic.imageProcessed(processed("a.jpg")))
            .withMessageStartingWith("Failed to publish the PROCESSED notification for s3://uploads/a.jpg");
    }
}
