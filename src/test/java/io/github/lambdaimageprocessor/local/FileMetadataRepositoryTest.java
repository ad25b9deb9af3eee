package io.github.lambdaimageprocessor.local;

import java.nio.file.Path;

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
    void recordsSurviveARestart() {
        ProcessedImage image = processed("durable.jpg");
        new FileMetadataRepository(folder, json).save(image);

        MetadataRepository afterRestart = new FileMetadataRepository(folder, JsonMapper.builder().build());

        assertThat(afterRestart.find(image.source().ref())).contains(image);
    }
}
