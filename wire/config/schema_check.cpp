#include "wire/config/schema_check.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <set>
#include <string_view>

#include "wire/config.capnp.h"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {
namespace {

using detail::quoted;

using capnp::JsonValue;
using capnp::StructSchema;
using capnp::Type;
using Which = capnp::schema::Type::Which;

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

const char* kind_of(JsonValue::Reader v) {
  switch (v.which()) {
    case JsonValue::NULL_: return "null";
    case JsonValue::BOOLEAN: return "a boolean";
    case JsonValue::NUMBER: return "a number";
    case JsonValue::STRING: return "a string";
    case JsonValue::ARRAY: return "an array";
    case JsonValue::OBJECT: return "an object";
    case JsonValue::CALL: return "a call";
  }
  return "an unknown value";
}

std::string wrong_kind(const std::string& path, const char* want, JsonValue::Reader v) {
  return path + ": must be " + want + ", got " + kind_of(v);
}

// The annotations of wire/config.capnp that apply to one field.
struct constraints {
  bool required = false;
  bool has_range = false;
  uint64_t min = 0, max = 0;
  bool has_max_bytes = false;
  uint32_t max_bytes = 0;
  capnp::List<capnp::Text>::Reader one_of;
  bool has_one_of = false;
};

constraints constraints_of(StructSchema::Field field) {
  constraints c;
  for (auto a : field.getProto().getAnnotations()) {
    auto id = a.getId();
    if (id == REQUIRED_ID) {
      c.required = true;
    } else if (id == RANGE_ID) {
      auto r = a.getValue().getStruct().getAs<Range>();
      c.has_range = true;
      c.min = r.getMin();
      c.max = r.getMax();
    } else if (id == MAX_BYTES_ID) {
      c.has_max_bytes = true;
      c.max_bytes = a.getValue().getUint32();
    } else if (id == ONE_OF_ID) {
      c.has_one_of = true;
      c.one_of = a.getValue().getList().getAs<capnp::List<capnp::Text>>();
    }
  }
  return c;
}

// The bounds of each integer type: smin for signed types, umax for all.
struct int_bounds {
  bool is_signed;
  int64_t smin;
  uint64_t umax;
};

bool integer_bounds(Which w, int_bounds& out) {
  switch (w) {
    case Which::INT8: out = {true, INT8_MIN, INT8_MAX}; return true;
    case Which::INT16: out = {true, INT16_MIN, INT16_MAX}; return true;
    case Which::INT32: out = {true, INT32_MIN, INT32_MAX}; return true;
    case Which::INT64: out = {true, INT64_MIN, INT64_MAX}; return true;
    case Which::UINT8: out = {false, 0, UINT8_MAX}; return true;
    case Which::UINT16: out = {false, 0, UINT16_MAX}; return true;
    case Which::UINT32: out = {false, 0, UINT32_MAX}; return true;
    case Which::UINT64: out = {false, 0, UINT64_MAX}; return true;
    default: return false;
  }
}

std::string check_integer(JsonValue::Reader v, Which w, const constraints& c, const std::string& path) {
  int_bounds b{};
  integer_bounds(w, b);
  bool wide = w == Which::INT64 || w == Which::UINT64;
  bool negative = false;
  uint64_t magnitude = 0;
  if (v.isNumber()) {
    double d = v.getNumber();
    if (!std::isfinite(d) || std::trunc(d) != d) return path + ": must be an integer";
    constexpr double exact = 9007199254740992.0;  // 2^53: larger doubles skip integers
    if (std::fabs(d) > exact) return path + ": integers above 2^53 must be written as a decimal string";
    negative = d < 0;
    magnitude = static_cast<uint64_t>(std::fabs(d));
  } else if (v.isString() && wide) {
    // JsonCodec writes 64-bit integers as strings and reads them back.
    std::string_view s(v.getString().cStr(), v.getString().size());
    negative = !s.empty() && s.front() == '-';
    std::string_view digits = negative ? s.substr(1) : s;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
    if (ec == std::errc::result_out_of_range) return path + ": " + quoted(s) + " is too large";
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
      return path + ": must be an integer (a number, or a string of decimal digits)";
  } else {
    return wrong_kind(path, wide ? "an integer (number or decimal string)" : "an integer", v);
  }
  std::string shown = std::to_string(magnitude);
  if (negative && magnitude != 0) shown.insert(shown.begin(), '-');

  // $range bounds are unsigned; without one the type's own bounds apply.
  uint64_t min = c.has_range ? c.min : 0;
  uint64_t max = c.has_range ? c.max : b.umax;
  bool ok;
  if (negative && magnitude != 0) {
    uint64_t lowest = static_cast<uint64_t>(-(b.smin + 1)) + 1;  // |smin|, no overflow
    ok = b.is_signed && !c.has_range && magnitude <= lowest;
  } else {
    ok = magnitude >= min && magnitude <= max;
  }
  if (!ok) {
    std::string lo = b.is_signed && !c.has_range ? std::to_string(b.smin) : std::to_string(min);
    return path + ": must be between " + lo + " and " + std::to_string(max) + ", got " + shown;
  }
  return {};
}

std::string check_text(JsonValue::Reader v, const constraints& c, const std::string& path) {
  if (!v.isString()) return wrong_kind(path, "a string", v);
  auto s = v.getString();
  std::string_view text(s.cStr(), s.size());
  if (text.find('\0') != std::string_view::npos) return path + ": must not contain NUL characters";
  if (c.required && text.empty()) return path + ": must not be empty";
  if (c.has_max_bytes && text.size() > c.max_bytes)
    return path + ": must be at most " + std::to_string(c.max_bytes) + " bytes, got " + std::to_string(text.size());
  if (c.has_one_of) {
    std::string choices;
    for (auto choice : c.one_of) {
      if (text == std::string_view(choice.cStr(), choice.size())) return {};
      if (!choices.empty()) choices += ", ";
      choices += quoted(std::string_view(choice.cStr(), choice.size()));
    }
    return path + ": must be one of " + choices + "; got " + quoted(text);
  }
  return {};
}

std::string check_struct(JsonValue::Reader v, StructSchema schema, const std::string& path);

std::string check_value(JsonValue::Reader v, Type type, const constraints& c, const std::string& path) {
  Which w = type.which();
  int_bounds ignored{};
  if (integer_bounds(w, ignored)) return check_integer(v, w, c, path);
  switch (w) {
    case Which::BOOL: return v.isBoolean() ? std::string() : wrong_kind(path, "true or false", v);
    case Which::FLOAT32:
    case Which::FLOAT64:
      if (v.isNumber() && std::isfinite(v.getNumber())) return {};
      return wrong_kind(path, "a finite number", v);
    case Which::TEXT: return check_text(v, c, path);
    case Which::ENUM: {
      if (!v.isString()) return wrong_kind(path, "a string", v);
      std::string choices;
      for (auto e : type.asEnum().getEnumerants()) {
        auto name = e.getProto().getName();
        if (name == v.getString()) return {};
        if (!choices.empty()) choices += ", ";
        choices += quoted(std::string_view(name.cStr(), name.size()));
      }
      return path + ": must be one of " + choices + "; got " +
             quoted(std::string_view(v.getString().cStr(), v.getString().size()));
    }
    case Which::LIST: {
      if (!v.isArray()) return wrong_kind(path, "an array", v);
      Type element = type.asList().getElementType();
      constraints element_constraints = c;  // $oneOf/$maxBytes apply to each element
      element_constraints.required = c.required && element.which() == Which::TEXT;
      size_t i = 0;
      for (auto item : v.getArray()) {
        auto err = check_value(item, element, element_constraints, path + "[" + std::to_string(i++) + "]");
        if (!err.empty()) return err;
      }
      if (c.required && i == 0) return path + ": must not be empty";
      return {};
    }
    case Which::STRUCT: return check_struct(v, type.asStruct(), path);
    default: return path + ": this key cannot be set from JSON";
  }
}

std::string known_keys(StructSchema schema) {
  std::string out;
  for (auto f : schema.getFields()) {
    if (!out.empty()) out += ", ";
    auto name = f.getProto().getName();
    out.append(name.cStr(), name.size());
  }
  return out;
}

std::string check_struct(JsonValue::Reader v, StructSchema schema, const std::string& path) {
  if (!v.isObject()) return wrong_kind(path.empty() ? "the document" : path, "an object", v);
  std::set<std::string_view> seen;
  for (auto member : v.getObject()) {
    auto name = member.getName();
    std::string_view key(name.cStr(), name.size());
    std::string where = join(path, key);
    if (!seen.insert(key).second) return where + ": key appears twice";
    KJ_IF_MAYBE (field, schema.findFieldByName(name)) {
      if (member.getValue().isNull()) return where + ": null is not a value here (leave the key out for the default)";
      auto err = check_value(member.getValue(), field->getType(), constraints_of(*field), where);
      if (!err.empty()) return err;
    } else {
      return where + ": unknown key (known keys: " + known_keys(schema) + ")";
    }
  }
  for (auto f : schema.getFields()) {
    auto name = f.getProto().getName();
    if (constraints_of(f).required && !seen.count(std::string_view(name.cStr(), name.size())))
      return join(path, std::string_view(name.cStr(), name.size())) + ": required key is missing";
  }
  return {};
}

}  // namespace

std::string check_against_schema(JsonValue::Reader value, StructSchema schema, const std::string& path) {
  return check_struct(value, schema, path);
}

}  // namespace stmfd::wire::cfg
