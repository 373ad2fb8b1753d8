#include "actors/admin/token_file.hpp"

#include <fstream>

namespace stmfd::admin {

std::string read_token_file(const std::string& path, std::string& error) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    error = "cannot read the admin token file " + path;
    return {};
  }
  auto first = line.find_first_not_of(" \t\r");
  auto last = line.find_last_not_of(" \t\r");
  std::string token = first == std::string::npos ? std::string() : line.substr(first, last - first + 1);
  if (token.size() < 16) {
    error = "the admin token in " + path + " is shorter than 16 characters";
    return {};
  }
  return token;
}

}  // namespace stmfd::admin
