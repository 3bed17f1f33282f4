# Optional container build. The app needs no PostgreSQL binaries when DATABASE_URL is set.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/helhed ./cmd/helhed

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/helhed /helhed
ENV ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/helhed", "serve"]
