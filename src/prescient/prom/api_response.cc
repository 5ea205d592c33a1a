// Decoding with nlohmann::json, wrapped once here: a parse or type error becomes
// InvalidArgument naming what was wrong, so no exception leaves the module.
#include "prescient/prom/api_response.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace prescient::prom {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxBodyInMessage = 200;

Result<Sample> DecodeSample(const Json& pair) {
  if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_string()) {
    return InvalidArgumentError("a sample is not [time, \"value\"]: " + pair.dump());
  }
  Sample sample;
  sample.time = pair[0].get<double>();
  PRESCIENT_ASSIGN_OR_RETURN(sample.value, ParseSampleValue(pair[1].get<std::string>()));
  return sample;
}

Result<SeriesData> DecodeSeries(const Json& item, bool matrix) {
  if (!item.is_object()) return InvalidArgumentError("a result is not an object");
  SeriesData series;
  if (auto metric = item.find("metric"); metric != item.end()) {
    if (!metric->is_object()) return InvalidArgumentError("\"metric\" is not an object");
    for (const auto& [name, value] : metric->items()) {
      if (!value.is_string()) return InvalidArgumentError("label " + name + " is not a string");
      series.labels[name] = value.get<std::string>();
    }
  }
  if (matrix) {
    auto values = item.find("values");
    if (values == item.end() || !values->is_array()) {
      return InvalidArgumentError("a matrix result has no \"values\" array");
    }
    series.samples.reserve(values->size());
    for (const Json& pair : *values) {
      PRESCIENT_ASSIGN_OR_RETURN(Sample sample, DecodeSample(pair));
      series.samples.push_back(sample);
    }
  } else {
    auto value = item.find("value");
    if (value == item.end()) return InvalidArgumentError("a vector result has no \"value\"");
    PRESCIENT_ASSIGN_OR_RETURN(Sample sample, DecodeSample(*value));
    series.samples.push_back(sample);
  }
  return series;
}

Result<QueryData> DecodeData(const Json& doc) {
  QueryData out;
  if (auto warnings = doc.find("warnings"); warnings != doc.end() && warnings->is_array()) {
    for (const Json& w : *warnings) {
      if (w.is_string()) out.warnings.push_back(w.get<std::string>());
    }
  }
  auto data = doc.find("data");
  if (data == doc.end() || !data->is_object()) return InvalidArgumentError("no \"data\" object");
  auto type = data->find("resultType");
  auto result = data->find("result");
  if (type == data->end() || !type->is_string() || result == data->end()) {
    return InvalidArgumentError("\"data\" lacks resultType or result");
  }
  out.result_type = type->get<std::string>();
  if (out.result_type == "scalar") {
    PRESCIENT_ASSIGN_OR_RETURN(Sample sample, DecodeSample(*result));
    out.series.push_back(SeriesData{{}, {sample}});
    return out;
  }
  if (out.result_type != "vector" && out.result_type != "matrix") {
    return InvalidArgumentError("result type \"" + out.result_type + "\" is not a number");
  }
  if (!result->is_array()) return InvalidArgumentError("\"result\" is not an array");
  out.series.reserve(result->size());
  for (const Json& item : *result) {
    PRESCIENT_ASSIGN_OR_RETURN(SeriesData series, DecodeSeries(item, out.result_type == "matrix"));
    out.series.push_back(std::move(series));
  }
  return out;
}

std::string Abbreviate(std::string_view body) {
  std::string out(body.substr(0, kMaxBodyInMessage));
  if (body.size() > kMaxBodyInMessage) out += "...";
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

StatusCode CodeForHttp(int http_status) {
  if (http_status == 429) return StatusCode::kResourceExhausted;
  if (http_status == 401) return StatusCode::kUnauthenticated;
  if (http_status == 403) return StatusCode::kPermissionDenied;
  if (http_status == 404) return StatusCode::kNotFound;
  if (http_status == 504) return StatusCode::kDeadlineExceeded;
  if (http_status >= 500) return StatusCode::kUnavailable;
  if (http_status >= 400) return StatusCode::kInvalidArgument;
  return StatusCode::kUnknown;  // A 1xx/2xx/3xx that is not a success body.
}

StatusCode CodeForErrorType(std::string_view error_type, int http_status) {
  if (error_type == "bad_data" || error_type == "execution") return StatusCode::kInvalidArgument;
  if (error_type == "timeout") return StatusCode::kDeadlineExceeded;
  if (error_type == "canceled" || error_type == "internal" || error_type == "unavailable") {
    return StatusCode::kUnavailable;
  }
  if (error_type == "not_found") return StatusCode::kNotFound;
  return CodeForHttp(http_status);
}

}  // namespace

Result<double> ParseSampleValue(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  const std::string copy(text);
  if (copy.empty() || std::isspace(static_cast<unsigned char>(copy.front()))) {
    return InvalidArgumentError("sample value \"" + copy + "\" is not a number");
  }
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) {
    return InvalidArgumentError("sample value \"" + copy + "\" is not a number");
  }
  return value;  // Overflow gives +-HUGE_VAL = +-Inf, as Prometheus would mean.
}

Result<QueryData> DecodeResponse(int http_status, std::string_view body) {
  if (http_status < 200 || http_status >= 300) return ErrorFromResponse(http_status, body);
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return InvalidArgumentError("answer is not a JSON object: " + Abbreviate(body));
  }
  auto status = doc.find("status");
  if (status == doc.end() || !status->is_string() || status->get<std::string>() != "success") {
    return ErrorFromResponse(http_status, body);
  }
  try {
    return DecodeData(doc);
  } catch (const Json::exception& e) {
    return InvalidArgumentError(std::string("undecodable answer: ") + e.what());
  }
}

Status ErrorFromResponse(int http_status, std::string_view body) {
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded() && doc.is_object()) {
    auto type = doc.find("errorType");
    auto error = doc.find("error");
    if (type != doc.end() && type->is_string() && error != doc.end() && error->is_string()) {
      const std::string error_type = type->get<std::string>();
      return Status(CodeForErrorType(error_type, http_status),
                    error_type + ": " + error->get<std::string>());
    }
  }
  std::string message = "HTTP " + std::to_string(http_status);
  if (!body.empty()) message += ": " + Abbreviate(body);
  return Status(CodeForHttp(http_status), std::move(message));
}

std::string FormatLabels(const std::map<std::string, std::string>& labels) {
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ", ";
    out += name + "=\"" + value + "\"";
  }
  return out + "}";
}

}  // namespace prescient::prom
