#include "wire/config/json_syntax.hpp"

namespace stmfd::wire::cfg {
namespace {

// A recursive-descent recogniser of the RFC 8259 grammar. It builds
// nothing; it stops at the first error and remembers its offset.
class scanner {
 public:
  scanner(std::string_view text, size_t max_depth) : text_(text), max_depth_(max_depth) {}

  json_syntax_error run() {
    skip_space();
    if (value(0)) {
      skip_space();
      if (pos_ < text_.size()) fail("unexpected text after the JSON value");
    }
    json_syntax_error out;
    if (!failed_) return out;
    out.found = true;
    out.message = message_;
    out.line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < error_pos_ && i < text_.size(); ++i)
      if (text_[i] == '\n') {
        ++out.line;
        line_start = i + 1;
      }
    out.column = error_pos_ - line_start + 1;
    return out;
  }

 private:
  bool fail(const char* message) {
    if (!failed_) {
      failed_ = true;
      message_ = message;
      error_pos_ = pos_;
    }
    return false;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }

  bool value(size_t depth) {
    if (at_end()) return fail("the text ends where a value was expected");
    switch (peek()) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      case '/': return fail("comments are not allowed in JSON");
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number();
        return fail("expected a value (object, array, string, number, true, false or null)");
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word)
      return fail("expected a value (object, array, string, number, true, false or null)");
    pos_ += word.size();
    return true;
  }

  bool digits() {
    size_t start = pos_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    return pos_ > start;
  }

  bool number() {
    size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
      if (peek() >= '0' && peek() <= '9') {
        pos_ = start;
        return fail("numbers must not have leading zeros");
      }
    } else if (!digits()) {
      pos_ = start;
      return fail("invalid number");
    }
    if (peek() == '.') {
      ++pos_;
      if (!digits()) return fail("invalid number: digits must follow '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digits()) return fail("invalid number: digits must follow the exponent");
    }
    return true;
  }

  bool string() {
    ++pos_;  // opening quote
    while (!at_end()) {
      unsigned char c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("control character in a string (write it as an escape)");
      if (c == '\\') {
        ++pos_;
        char e = peek();
        if (e == 'u') {
          ++pos_;
          size_t escape = pos_ - 2;
          bool letters = false;
          for (int i = 0; i < 4; ++i, ++pos_) {
            char h = peek();
            bool digit = h >= '0' && h <= '9';
            bool letter = (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
            if (!digit && !letter) return fail("invalid \\u escape: four hex digits must follow");
            letters = letters || letter;
          }
          // kj 0.9.2 decodes the hex letters of a \u escape wrongly ("\u00e9"
          // becomes "I"), so such escapes are refused rather than mangled.
          if (letters) {
            pos_ = escape;
            return fail(
                "\\u escapes with hex letters are not supported: write the character "
                "itself (UTF-8)");
          }
          continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
          return fail("invalid escape in a string");
      }
      ++pos_;
    }
    return fail("unterminated string");
  }

  bool object(size_t depth) {
    if (depth > max_depth_) return fail("nested too deeply");
    ++pos_;  // '{'
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      if (peek() == '/') return fail("comments are not allowed in JSON");
      if (peek() != '"') return fail("expected a key in double quotes");
      if (!string()) return false;
      skip_space();
      if (peek() != ':') return fail("expected ':' after the key");
      ++pos_;
      skip_space();
      if (!value(depth)) return false;
      skip_space();
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail("expected ',' or '}' after an object member");
      ++pos_;
      skip_space();
      if (peek() == '}') return fail("trailing comma before '}'");
    }
  }

  bool array(size_t depth) {
    if (depth > max_depth_) return fail("nested too deeply");
    ++pos_;  // '['
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      if (!value(depth)) return false;
      skip_space();
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail("expected ',' or ']' after an array element");
      ++pos_;
      skip_space();
      if (peek() == ']') return fail("trailing comma before ']'");
    }
  }

  std::string_view text_;
  size_t max_depth_;
  size_t pos_ = 0;
  bool failed_ = false;
  const char* message_ = "";
  size_t error_pos_ = 0;
};

}  // namespace

json_syntax_error find_json_syntax_error(std::string_view text, size_t max_depth) {
  return scanner(text, max_depth).run();
}

}  // namespace stmfd::wire::cfg
