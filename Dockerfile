# rouei as a container image: one static binary on distroless "static"
# (CA certificates for ftps://, tzdata, /etc/passwd with the non-root
# user 65532), run as that user, rouei as the entrypoint.
#
#   docker build -t rouei .
#   docker run --rm -v "$PWD/dist:/scan:ro" -v "$PWD/out:/out" \
#       rouei scan --no-progress --format html -o /out/report.html /scan
#
# The build needs only the Go module proxy; the image has no shell.

ARG GO_VERSION=1.26
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO off: a static binary (the SQLite reader is pure Go); -trimpath and
# stripped symbols for a reproducible, smaller binary.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /bin-out/rouei ./cmd/rouei \
 && /bin-out/rouei version \
 && mkdir -p /empty

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /bin-out/rouei /usr/local/bin/rouei
# /out, owned by the non-root user, so that a fresh named volume mounted
# there is writable; reports and --state files go there. The deliverable
# is mounted read-only (/scan in the examples). Spools of nested archives
# go to $TMPDIR (/tmp, writable in distroless).
COPY --from=build --chown=65532:65532 /empty /out
USER 65532:65532
WORKDIR /out
ENTRYPOINT ["/usr/local/bin/rouei"]
CMD ["help"]
