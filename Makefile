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

# The browser-upload API (template.yaml: HttpApiFunction): the same package, another function definition.
build-HttpApiFunction:
	sh ./mvnw -B -ntp -DskipTests clean package
	cp -R target/lambda-layout/. "$(ARTIFACTS_DIR)"

# The same package: the backfill function differs only by SPRING_CLOUD_FUNCTION_DEFINITION.
build-BackfillFunction:
	sh ./mvnw -B -ntp -DskipTests clean package
	cp -R target/lambda-layout/. "$(ARTIFACTS_DIR)"

# The web app (the local runtime, or profile aws outside Lambda) packaged to start fast: the executable jar extracted
# the way Spring Boot recommends for class data sharing, plus a JVM start-up cache from one training run that stops
# once the context is refreshed (-Dspring.context.exit=onRefresh). On JDK 25 and newer the cache is an AOT cache
# (JEP 483/514/515: classes loaded and linked, method profiles); on JDK 21-24 a dynamic AppCDS archive. The cache is
# only valid for the JDK that made it and the absolute path of the jar, so target/app/start names both; JAVA_OPTS
# adds JVM flags. bench/cold-start.sh measures it.
JAVA := $(if $(JAVA_HOME),$(JAVA_HOME)/bin/java,java)
APP := $(CURDIR)/target/app

app:
	sh ./mvnw -B -ntp -DskipTests clean package
	"$(JAVA)" -Djarmode=tools -jar target/lambda-image-processor-*-exec.jar extract --destination "$(APP)"
	@set -e; jar=$$(ls "$(APP)"/*.jar); \
	settings=$$("$(JAVA)" -XshowSettings:properties -version 2>&1); \
	major=$$(echo "$$settings" | awk -F' = ' '/java.specification.version/ {print $$2}' | cut -d. -f1); \
	java=$$(echo "$$settings" | awk -F' = ' '/java.home/ {print $$2}')/bin/java; \
	if [ "$$major" -ge 25 ]; then train="-XX:AOTCacheOutput=$(APP)/app.aot"; use="-XX:AOTCache=$(APP)/app.aot"; \
	else train="-XX:ArchiveClassesAtExit=$(APP)/app.jsa"; use="-XX:SharedArchiveFile=$(APP)/app.jsa"; fi; \
	mkdir -p "$(APP)/training"; \
	(cd "$(APP)/training" && "$$java" "$$train" -Dspring.context.exit=onRefresh -jar "$$jar" \
		--server.port=0 --image-processor.local.root="$(APP)/training/data" > "$(APP)/training/log.txt" 2>&1) \
		|| { echo "the training run of make app failed:" >&2; cat "$(APP)/training/log.txt" >&2; exit 1; }; \
	rm -rf "$(APP)/training"; \
	printf '%s\n' '#!/bin/sh' \
		"# Made by make app: the app with the start-up cache of $$("$$java" -version 2>&1 | head -1)" \
		"exec \"$$java\" \"$$use\" \$$JAVA_OPTS -jar \"$$jar\" \"\$$@\"" > "$(APP)/start"; \
	chmod +x "$(APP)/start"
	@echo "Start it with target/app/start (arguments go to the app, e.g. --server.port=8081; JVM flags in JAVA_OPTS)"

.PHONY: build-ImageProcessorFunction build-HttpApiFunction build-BackfillFunction app
