# Build entry point for `sam build` (template.yaml: Metadata.BuildMethod: makefile). SAM copies the project to a
# scratch folder, runs `make build-<LogicalId>` there and packages whatever lands in $(ARTIFACTS_DIR).
#
# Why not SAM's built-in Maven workflow: it runs `mvn clean install`, which needs Maven installed (this project
# ships the wrapper) and runs every test, some of which need moto_server; tests are CI's job (./mvnw verify).
#
# The layout is the one Lambda's Java runtime loads: classes at the root, runtime dependencies in lib/. Maven
# assembles it in target/lambda-layout (pom.xml, phase package); LambdaRuntimeIT runs that very folder through
# the Lambda Runtime Interface Client.

build-ImageProcessorFunction:
	sh ./mvnw -B -ntp -DskipTests clean package
	cp -R target/lambda-layout/. "$(ARTIFACTS_DIR)"

.PHONY: build-ImageProcessorFunction
