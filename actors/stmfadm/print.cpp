#include "actors/stmfadm/print.hpp"

#include <algorithm>
#include <cctype>

namespace stmfd::stmfadm {

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (auto& r : rows)
    for (size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size() && i < width.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out += std::string(width[i] - cells[i].size() + 2, ' ');
    }
    std::printf("%s\n", out.c_str());
  };
  line(header);
  for (auto& r : rows) line(r);
}

std::string human_size(uint64_t bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = double(bytes);
  size_t u = 0;
  while (v >= 1024 && u + 1 < sizeof units / sizeof *units) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else
    std::snprintf(buf, sizeof buf, "%.2f %s", v, units[u]);
  return buf;
}

bool parse_size(const std::string& text, uint64_t& out) {
  if (text.empty() || !std::isdigit(uint8_t(text[0]))) return false;
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && std::isdigit(uint8_t(text[i]))) {
    if (n > (UINT64_MAX - 9) / 10) return false;
    n = n * 10 + uint64_t(text[i++] - '0');
  }
  std::string unit = text.substr(i);
  for (auto& c : unit) c = char(std::tolower(uint8_t(c)));
  if (unit == "b") unit.clear();
  if (unit.size() == 2 && unit[1] == 'b') unit.pop_back();  // "mb", "gb": binary here as in sbdadm
  int shift = unit.empty() ? 0 : unit == "k" ? 10 : unit == "m" ? 20 : unit == "g" ? 30 : unit == "t" ? 40 : -1;
  if (shift < 0) return false;
  if (shift && n > (UINT64_MAX >> shift)) return false;
  out = n << shift;
  return true;
}

}  // namespace stmfd::stmfadm
