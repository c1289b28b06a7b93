#!/bin/sh
# HEALTHCHECK of the engage image: /health/ready on the port of the API this container serves. One container runs one
# process, so at most one of the two ports answers; set the ports by ENGAGE_INGEST_PORT / ENGAGE_QUERY_PORT (not by
# flags) for this check to find them. Plain HTTP only: with ingest.tls.keystore / query.tls.keystore set, replace the
# check (docs/operations.md, "Deployment").
for port in "${ENGAGE_INGEST_PORT:-8080}" "${ENGAGE_QUERY_PORT:-8090}"; do
  if curl -fsS --max-time 4 -o /dev/null "http://127.0.0.1:${port}/health/ready"; then
    exit 0
  fi
done
exit 1
