package io.github.lambdaimageprocessor.processing;

/**
 * The fake the core tests use keeps the same contract as DynamoDB and the file records (the conditional write above
 * all), so what those tests prove about exactly-once carries over.
 */
class InMemoryMetadataRepositoryTest extends MetadataRepositoryContract {

    private final InMemoryMetadataRepository repository = new InMemoryMetadataRepository();

    @Override
    protected MetadataRepository repository() {
        return repository;
    }
}
