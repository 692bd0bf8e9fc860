# The concbench image that bench k8s's Job runs (docs/distributed.md):
#   docker build -t registry.example.com/concbench:v1 . && docker push registry.example.com/concbench:v1
# Stage one builds a static binary (no cgo, so no libc to carry); stage two
# is distroless: the binary, CA certificates and a non-root user, no shell.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# cmd/bench/static_test.go runs this very line and checks the binary is static.
RUN CGO_ENABLED=0 go build -ldflags=-s -o /out/bench ./cmd/bench

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bench /usr/local/bin/bench
USER 65532:65532
WORKDIR /results
ENTRYPOINT ["/usr/local/bin/bench"]
CMD ["help"]
