#include "wire/config/loader.hpp"

#include <capnp/compat/json.h>
#include <kj/exception.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wire/config/json_syntax.hpp"
#include "wire/config/schema_check.hpp"
#include "wire/config/validate.hpp"

namespace stmfd::wire::cfg {
namespace {

// A config is a few KiB; anything this large is not one.
constexpr std::uintmax_t max_file_bytes = 16u << 20;
constexpr size_t max_depth = 64;

load_result failure(std::string message) {
  load_result r;
  r.error = std::move(message);
  return r;
}

std::string describe(const kj::Exception& e) {
  auto d = e.getDescription();
  return std::string(d.cStr(), d.size());
}

}  // namespace

Config::Reader load_result::root() const {
  if (!message) return Config::Reader();
  return message->getRoot<Config>().asReader();
}

load_result load_text(std::string_view json, const std::string& origin, const std::string& base_dir) {
  // RFC 8259 8.1: a parser may ignore a leading byte order mark.
  if (json.substr(0, 3) == "\xEF\xBB\xBF") json.remove_prefix(3);
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return failure(origin + ": the file is empty (it must hold one JSON object)");
  if (auto syntax = find_json_syntax_error(json, max_depth); syntax.found)
    return failure(origin + ":" + std::to_string(syntax.line) + ":" + std::to_string(syntax.column) + ": " +
                   syntax.message);

  // KJ reports errors by exception: this is the edge where they become values.
  capnp::MallocMessageBuilder parsed;
  auto value = parsed.initRoot<capnp::JsonValue>();
  capnp::JsonCodec codec;
  codec.setMaxNestingDepth(max_depth);
  codec.setRejectUnknownFields(true);
  KJ_IF_MAYBE (e, kj::runCatchingExceptions(
                      [&]() { codec.decodeRaw(kj::ArrayPtr<const char>(json.data(), json.size()), value); })) {
    return failure(origin + ": invalid JSON: " + describe(*e));
  }

  if (auto err = check_against_schema(value.asReader(), capnp::Schema::from<Config>()); !err.empty())
    return failure(origin + ": " + err);

  load_result r;
  r.message = std::make_unique<capnp::MallocMessageBuilder>();
  auto config = r.message->initRoot<Config>();
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { codec.decode(value.asReader(), capnp::toDynamic(config)); })) {
    return failure(origin + ": " + describe(*e));
  }
  std::string err;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { err = validate_and_complete(config, base_dir); })) {
    return failure(origin + ": " + describe(*e));
  }
  if (!err.empty()) return failure(origin + ": " + err);
  r.ok = true;
  return r;
}

load_result load_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec) return failure(path + ": cannot read: " + ec.message());
  if (fs::is_directory(st)) return failure(path + ": cannot read: it is a directory");
  if (fs::is_regular_file(st) && fs::file_size(path, ec) > max_file_bytes && !ec)
    return failure(path + ": larger than 16 MiB: not a config file");

  std::ifstream in(path, std::ios::binary);
  if (!in) return failure(path + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return failure(path + ": cannot read: " + std::strerror(errno));

  fs::path dir = fs::absolute(fs::path(path), ec).parent_path();
  if (ec) return failure(path + ": cannot resolve its directory: " + ec.message());
  return load_text(text.str(), path, dir.string());
}

}  // namespace stmfd::wire::cfg
