#!/usr/bin/env bash
# Runs the README's grpcurl guide against a real server, so the guide cannot rot.
#
# Every `grpcurl` line between the README markers `<!-- grpcurl-guide:begin -->` and `<!-- grpcurl-guide:end -->`
# is run, in order, with `buf curl --protocol grpc --http2-prior-knowledge` (grpcurl is not installable here; buf
# curl speaks the same gRPC over h2c and reads the same reflection). The comment lines after a command state what
# its answer must show:
#   # expect: TEXT          the answer contains TEXT
#   # expect-error: CODE [REASON]
#                           the call fails with that gRPC code (buf curl's name, e.g. not_found) and the answer
#                           carries an ErrorInfo (with that reason, when given)
# `list`, `list SERVICE` and `describe SYMBOL` are answered from reflection as grpcurl does.
# GRPCURL_GUIDE=FILE checks another file. Set RUNTIME_TEST_ADDRESS=http://127.0.0.1:5000 to check against a running server instead of starting one.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
buf=$repo/tools/node_modules/.bin/buf
python=/usr/bin/python3

address=${RUNTIME_TEST_ADDRESS:-}
server_pid=
data=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$data" ]; then rm -rf "$data"; fi
}
trap cleanup EXIT

if [ -z "$address" ]; then
  dll=$repo/src/Runtime.Server/bin/Release/net10.0/Runtime.Server.dll
  [ -f "$dll" ] || dotnet build src/Runtime.Server -c Release -nologo -clp:ErrorsOnly
  port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  data=$(mktemp -d)
  address=http://127.0.0.1:$port
  # The server reads appsettings.json from its working directory: start it beside its dll.
  (cd "$(dirname "$dll")" && exec env Runtime__DataDirectory="$data" Runtime__Console__Enabled=false dotnet "$dll" --urls "$address" >"$data/server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 300); do
    if "$buf" curl --protocol grpc --http2-prior-knowledge --timeout 2s "$address/grpc.health.v1.Health/Check" 2>/dev/null \
      | grep -q SERVING; then
      break
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log"; echo "the server exited" >&2; exit 1; }
    sleep 0.1
  done
fi

curl_grpc() { "$buf" curl --protocol grpc --http2-prior-knowledge --timeout 30s "$@"; }

# Answers `describe SYMBOL` from reflection: the file that defines it, printed as proto source lines.
describe() {
  curl_grpc -d "{\"fileContainingSymbol\":\"$1\"}" "$address/grpc.reflection.v1.ServerReflection/ServerReflectionInfo" \
    | "$python" -c '
import base64, json, sys
from google.protobuf import descriptor_pb2
answer = json.load(sys.stdin)
for encoded in answer["fileDescriptorResponse"]["fileDescriptorProto"]:
    proto = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(encoded))
    for service in proto.service:
        print(f"{proto.package}.{service.name} is a service:")
        for m in service.method:
            stream_in = "stream " if m.client_streaming else ""
            stream_out = "stream " if m.server_streaming else ""
            print(f"  rpc {m.name} ( {stream_in}{m.input_type} ) returns ( {stream_out}{m.output_type} );")
'
}

# Runs one guide line (a grpcurl command) with buf curl; prints the answer, returns buf curl's exit code.
run_grpcurl() {
  eval "set -- ${1#grpcurl }"
  local data="" target=()
  while [ $# -gt 0 ]; do
    case $1 in
      -plaintext) ;;
      -d) data=$2; shift ;;
      -*) echo "unsupported grpcurl flag in the guide: $1" >&2; return 2 ;;
      *) target+=("$1") ;;
    esac
    shift
  done
  # target: ADDRESS VERB-OR-METHOD [SYMBOL]; the guide's address is replaced by the one under test.
  case ${target[1]} in
    list)
      if [ ${#target[@]} -gt 2 ]; then
        curl_grpc --list-methods "$address" | grep "^${target[2]}/" | tr / .
      else
        curl_grpc --list-services "$address"
      fi ;;
    describe) describe "${target[2]}" ;;
    *)
      if [ -n "$data" ]; then curl_grpc -d "$data" "$address/${target[1]}"; else curl_grpc "$address/${target[1]}"; fi ;;
  esac
}

# Reads buf curl's error answer on stdin; succeeds when its ErrorInfo detail carries REASON. buf curl prints the
# detail as base64 bytes (the server's reflection does not describe google.rpc), and ErrorInfo's reason is its field 1.
error_info_has_reason() {
  "$python" -c '
import base64, json, sys
from google.protobuf.internal.decoder import _DecodeVarint
answer = json.load(sys.stdin)
for detail in answer.get("details", []):
    if detail.get("type") != "google.rpc.ErrorInfo":
        continue
    raw = base64.urlsafe_b64decode(detail["value"] + "=" * (-len(detail["value"]) % 4))
    if raw[0] == 0x0A:
        length, start = _DecodeVarint(raw, 1)
        sys.exit(0 if raw[start:start + length].decode() == sys.argv[1] else 1)
sys.exit(1)
' "$1"
}

passed=0
failed=0
command=""
answer=""
status=0
expects_error=false
record() {  # record ok|fail MESSAGE
  if [ "$1" = ok ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    { echo "FAIL: $2"; echo "  command: $command"; echo "  answer (exit $status):"; sed 's/^/    /' <<<"$answer"; } >&2
  fi
}
finish_command() {  # a command is a check of its own: it must succeed unless the guide says it fails
  if [ -n "$command" ] && ! $expects_error; then
    if [ "$status" -eq 0 ]; then record ok; else record fail "the command failed"; fi
  fi
}

guide=$(awk '/<!-- grpcurl-guide:begin -->/{on=1; next} /<!-- grpcurl-guide:end -->/{on=0} on' "${GRPCURL_GUIDE:-README.md}")
[ -n "$guide" ] || { echo "README.md has no grpcurl guide section" >&2; exit 1; }
while IFS= read -r line; do
  case $line in
    grpcurl\ *)
      finish_command
      command=$line
      expects_error=false
      echo "--> $line"
      set +e
      answer=$(run_grpcurl "$line" 2>&1)
      status=$?
      set -e ;;
    "# expect: "*)
      expected=${line#"# expect: "}
      if [ "$status" -eq 0 ] && grep -qF -- "$expected" <<<"$answer"; then record ok; else record fail "expected the answer to contain: $expected"; fi ;;
    "# expect-error: "*)
      expects_error=true
      read -r expected reason <<<"${line#"# expect-error: "}"
      if [ "$status" -ne 0 ] && grep -qF -- "\"code\": \"$expected\"" <<<"$answer" && grep -qF "google.rpc.ErrorInfo" <<<"$answer" \
        && { [ -z "$reason" ] || error_info_has_reason "$reason" <<<"$answer"; }; then
        record ok
      else
        record fail "expected the call to fail with $expected and an ErrorInfo ${reason:+with reason $reason}"
      fi ;;
  esac
done <<<"$guide"
finish_command

echo "grpcurl guide checked against $address"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
