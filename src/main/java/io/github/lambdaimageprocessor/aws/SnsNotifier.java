package io.github.lambdaimageprocessor.aws;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import static io.github.lambdaimageprocessor.processing.UntrustedText.printable;

/**
 * One SNS message per outcome, written for email subscribers: a short subject and a plain-text body saying what was
 * processed, the sizes and where the thumbnail is (or why the upload was rejected). Message attributes
 * {@code status}, {@code sourceBucket} and {@code sourceKey} let subscribers filter, e.g. only {@code REJECTED}.
 *
 * <p>S3 keys may hold any Unicode, including control characters; SNS refuses a subject that is not ASCII, has a line
 * break or is 100 characters or longer, and any text that is not valid XML. Such a refusal would fail the event and
 * be retried forever, so everything published is made valid here, whatever the key.
 */
class SnsNotifier implements Notifier {

    static final int MAX_SUBJECT_LENGTH = 99;

    private final SnsClient sns;

    private final String topicArn;

    SnsNotifier(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void imageProcessed(ProcessedImage image) {
        try {
            sns.publish(request -> request.topicArn(topicArn)
                .subject(subject(image))
                .message(body(image))
                .messageAttributes(attributes(image)));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("SNS", "Publish", "Failed to publish the " + image.status()
                    + " notification for s3://" + image.source().bucket() + "/" + image.source().key() + " to "
                    + topicArn, e);
        }
    }

    static String subject(ProcessedImage image) {
        String prefix = switch (image.status()) {
            case PROCESSED -> "Thumbnail ready: ";
            case REJECTED -> "Image rejected: ";
            case SKIPPED -> "Image skipped: ";
        };
        String key = image.source().key() == null ? "" : image.source().key();
        String name = asciiLine(key.substring(key.lastIndexOf('/') + 1));
        if (name.isBlank()) {
            name = "(unnamed)";
        }
        int room = MAX_SUBJECT_LENGTH - prefix.length();
        if (name.length() > room) {
            // keep the end: it holds the extension and usually the distinguishing part of a long name
            name = "..." + name.substring(name.length() - (room - 3));
        }
        return prefix + name;
    }

    static String body(ProcessedImage image) {
        ImageObject source = image.source();
        StringBuilder text = new StringBuilder();
        switch (image.status()) {
            case PROCESSED -> {
                ImageObject output = image.output();
                text.append("A thumbnail was made of ").append(location(source)).append(".\n\n");
                text.append("Original:  ").append(describe(source)).append('\n');
                text.append("Thumbnail: ").append(describe(output)).append('\n');
                text.append("           at ").append(location(output)).append('\n');
            }
            case REJECTED -> {
                text.append("No thumbnail was made of ").append(location(source)).append(".\n\n");
                text.append("Reason:    ").append(printable(image.reason())).append('\n');
                text.append("Original:  ").append(describe(source)).append('\n');
                text.append("The file is not an image this service can read; uploading it again will not help.\n");
                // published after the removal (ImageProcessor), so this holds when the message is read
                text.append("A thumbnail of an earlier upload to this key, if there was one, has been removed.\n");
            }
            case SKIPPED -> {
                text.append("Nothing was done for ").append(location(source)).append(".\n\n");
                text.append("Reason:    ").append(printable(image.reason())).append('\n');
            }
        }
        text.append("\nStatus:    ").append(image.status()).append('\n');
        text.append("Decided:   ").append(image.processedAt()).append('\n');
        if (image.event() != null && image.event().requestId() != null) {
            text.append("Request:   ").append(printable(image.event().requestId())).append('\n');
        }
        return text.toString();
    }

    static Map<String, MessageAttributeValue> attributes(ProcessedImage image) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        putAttribute(attributes, "status", image.status().name());
        putAttribute(attributes, "sourceBucket", image.source().bucket());
        putAttribute(attributes, "sourceKey", image.source().key());
        return attributes;
    }

    private static void putAttribute(Map<String, MessageAttributeValue> attributes, String name, String value) {
        // SNS refuses empty attribute values
        if (value != null && !value.isEmpty()) {
            attributes.put(name,
                    MessageAttributeValue.builder().dataType("String").stringValue(printable(value)).build());
        }
    }

    private static String location(ImageObject object) {
        return printable("s3://" + object.bucket() + "/" + object.key());
    }

    private static String describe(ImageObject object) {
        StringBuilder text = new StringBuilder();
        if (object.width() != null && object.height() != null) {
            text.append(object.width()).append('x').append(object.height()).append(" pixels, ");
        }
        text.append(object.bytes() == null ? "size unknown" : String.format(Locale.ROOT, "%,d bytes", object.bytes()));
        if (object.contentType() != null) {
            text.append(", ").append(printable(object.contentType()));
        }
        return text.toString();
    }

    /** Printable ASCII on one line: accents dropped ("café" becomes "cafe"), anything else becomes '?'. */
    static String asciiLine(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(c -> {
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                return;
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                out.append(' ');
            }
            else {
                out.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
            }
        });
        return out.toString().replaceAll(" {2,}", " ").strip();
    }
}
