#pragma once
// Path resolution shared by the config loader's sources (internal). Kept
// apart from text_util.hpp: <filesystem> brings std::quoted, which ADL would
// find beside detail::quoted.
#include <filesystem>
#include <string>
#include <string_view>

namespace stmfd::wire::cfg::detail {

// `path` made absolute against `base` (when relative) and lexically
// normal, without a trailing separator.
inline std::string resolve(std::string_view path, const std::filesystem::path& base) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = base / p;
  p = p.lexically_normal();
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p.string();
}

}  // namespace stmfd::wire::cfg::detail
