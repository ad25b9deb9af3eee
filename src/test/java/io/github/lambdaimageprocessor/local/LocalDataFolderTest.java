package io.github.lambdaimageprocessor.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A data folder the local stand-ins cannot use stops start-up, instead of failing every request with a 500. */
@ExtendWith(OutputCaptureExtension.class)
class LocalDataFolderTest {

    @TempDir
    Path temp;

    private static void start(Path root) {
        SpringApplication application = new SpringApplication(ImageProcessorApplication.class);
        application.run("--spring.profiles.active=local", "--image-processor.local.root=" + root,
                "--spring.main.web-application-type=none");
    }

    @Test
    void aDataFolderThatIsAFileIsRefusedNamingTheProperty(CapturedOutput output) throws IOException {
        Path file = Files.writeString(temp.resolve("data"), "not a folder");

        assertThatThrownBy(() -> start(file)).hasMessageContaining("image-processor.local.root");

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("image-processor.local.root (" + file + ") is a file, not a folder");
    }

    @Test
    void aDataFolderUnderAFileIsRefused(CapturedOutput output) throws IOException {
        Path file = Files.writeString(temp.resolve("data"), "not a folder");

        assertThatThrownBy(() -> start(file.resolve("sub"))).hasMessageContaining("image-processor.local.root");

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("cannot be created: " + file + " is a file, not a folder");
    }

    @Test
    void aDataFolderStillToBeCreatedStarts() {
        SpringApplication application = new SpringApplication(ImageProcessorApplication.class);

        application.run("--spring.profiles.active=local", "--image-processor.local.root=" + temp.resolve("new/data"),
                "--spring.main.web-application-type=none").close();
    }
}
