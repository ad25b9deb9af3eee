package io.github.lambdaimageprocessor.processing;

import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceFailureExceptionTest {

    @ParameterizedTest
    @EnumSource(value = Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "UNEXPECTED")
    void everyKindTheAdapterCouldNameIsKnown(Kind kind) {
        assertThat(kind.known()).isTrue();
    }

    @Test
    void theUnexpectedKindIsNotKnown() {
        assertThat(Kind.UNEXPECTED.known()).isFalse();
    }

    @Test
    void theSummaryNamesTheServiceTheCallTheKindTheCodeAndTheRequestId() {
        assertThat(new ServiceFailureException("SNS", "Publish", Kind.NOT_FOUND, "NotFound", "6f1e", "gone", null)
            .summary()).isEqualTo("SNS Publish failed, not found, error code NotFound, request id 6f1e");
        assertThat(new ServiceFailureException("S3", "GetObject", Kind.UNREACHABLE, null, null, "no answer", null)
            .summary()).isEqualTo("S3 GetObject failed, unreachable");
    }
}
