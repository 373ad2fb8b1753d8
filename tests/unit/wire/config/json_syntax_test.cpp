#include <catch2/catch.hpp>

#include "config_test_util.hpp"
#include "wire/config/json_syntax.hpp"

using namespace stmfd::wire::cfg;
using stmfd::wire::cfg::test::error_of;

namespace {
std::string where(std::string_view text) {
  auto e = find_json_syntax_error(text);
  if (!e.found) return "none";
  return std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message;
}
}  // namespace

TEST_CASE("json_syntax_accepts_valid_documents", "[config][json]") {
  CHECK(where(R"({})") == "none");
  CHECK(where(" {\"a\": [1, -2.5e3, 0, true, false, null, \"x\\u0041\\n\"], \"b\": {}}\n") == "none");
  CHECK(where("[]") == "none");
}

TEST_CASE("json_syntax_reports_line_and_column", "[config][json]") {
  CHECK(where("{\n  \"a\": 1\n  \"b\": 2\n}") == "3:3: expected ',' or '}' after an object member");
  CHECK(where("{\"a\": 1,}") == "1:9: trailing comma before '}'");
  CHECK(where("[1, 2,]") == "1:7: trailing comma before ']'");
  CHECK(where("[1 2]") == "1:4: expected ',' or ']' after an array element");
  CHECK(where("{a: 1}") == "1:2: expected a key in double quotes");
  CHECK(where("{\"a\" 1}") == "1:6: expected ':' after the key");
  CHECK(where("{\"a\": }") ==
        "1:7: expected a value (object, array, string, number, true, "
        "false or null)");
  CHECK(where("{\"a\": tru}") ==
        "1:7: expected a value (object, array, string, number, true, "
        "false or null)");
  CHECK(where("{} x") == "1:4: unexpected text after the JSON value");
  CHECK(where("{\"a\": [1") == "1:9: expected ',' or ']' after an array element");
  CHECK(where("{\"a\": ") == "1:7: the text ends where a value was expected");
}

TEST_CASE("json_syntax_rejects_bad_tokens", "[config][json]") {
  CHECK(where("{\"a\": 01}") == "1:7: numbers must not have leading zeros");
  CHECK(where("{\"a\": 1.}") == "1:9: invalid number: digits must follow '.'");
  CHECK(where("{\"a\": 1e}") == "1:9: invalid number: digits must follow the exponent");
  CHECK(where("{\"a\": -}") == "1:7: invalid number");
  CHECK(where("{\"a\": \"x\\q\"}") == "1:10: invalid escape in a string");
  CHECK(where("{\"a\": \"\\u12G4\"}") == "1:12: invalid \\u escape: four hex digits must follow");
  CHECK(where("{\"a\": \"x\ny\"}") ==
        "1:9: control character in a string (write it as an "
        "escape)");
  CHECK(where("{\"a\": \"abc") == "1:11: unterminated string");
  CHECK(where("{\"a\": \"caf\\u00e9\"}") ==
        "1:11: \\u escapes with hex letters are not supported: write the character itself "
        "(UTF-8)");
  CHECK(where("{\n  // note\n}") == "2:3: comments are not allowed in JSON");
}

TEST_CASE("json_syntax_limits_nesting", "[config][json]") {
  CHECK(where(std::string(64, '[') + std::string(64, ']')) == "none");
  CHECK(where(std::string(65, '[') + std::string(65, ']')) == "1:65: nested too deeply");
}

TEST_CASE("loader_reports_syntax_errors_with_origin_line_and_column", "[config][json]") {
  CHECK(error_of("{\n \"logLevel\": \"info\",\n}") == "t.json:3:1: trailing comma before '}'");
  CHECK(error_of("") == "t.json: the file is empty (it must hold one JSON object)");
  CHECK(error_of(" \n ") == "t.json: the file is empty (it must hold one JSON object)");
  // A UTF-8 byte order mark is ignored (RFC 8259 8.1), elsewhere it is text.
  CHECK(error_of("\xEF\xBB\xBF{}") == "OK");
  CHECK(error_of("{}\xEF\xBB\xBF") == "t.json:1:3: unexpected text after the JSON value");
}
