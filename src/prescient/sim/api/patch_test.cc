#include "prescient/sim/api/patch.h"

#include <gtest/gtest.h>

namespace prescient::sim::api {
namespace {

using nlohmann::json;

json Deployment() {
  return json::parse(R"({
    "metadata": {"name": "web", "labels": {"app": "web"}, "creationTimestamp": "x"},
    "spec": {"replicas": 3,
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [
                            {"name": "app", "image": "web:1", "env": [{"name": "A", "value": "1"}]},
                            {"name": "sidecar", "image": "proxy:1"}]}}}})");
}

json Patch(PatchType type, const json& target, const std::string& body) {
  Result<json> doc = ParsePatchDocument(type, body);
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  Result<json> out = ApplyPatch(type, target, *doc);
  EXPECT_TRUE(out.ok()) << out.status().message();
  return *out;
}

TEST(PatchTest, ContentTypes) {
  EXPECT_EQ(*PatchTypeOf("application/json-patch+json"), PatchType::kJson);
  EXPECT_EQ(*PatchTypeOf("application/merge-patch+json; charset=utf-8"), PatchType::kMerge);
  EXPECT_EQ(*PatchTypeOf("application/strategic-merge-patch+json"), PatchType::kStrategic);
  EXPECT_EQ(*PatchTypeOf("application/apply-patch+yaml"), PatchType::kApply);
  EXPECT_FALSE(PatchTypeOf("application/json").ok());
  EXPECT_FALSE(PatchTypeOf("").ok());
}

TEST(PatchTest, MergePatchDeletesWithNullAndReplacesLists) {
  json out = Patch(PatchType::kMerge, Deployment(),
                   R"({"metadata":{"labels":{"app":null,"tier":"front"}},
                       "spec":{"template":{"spec":{"containers":[{"name":"app","image":"web:2"}]}}}})");
  EXPECT_FALSE(out["metadata"]["labels"].contains("app"));
  EXPECT_EQ(out["metadata"]["labels"]["tier"], "front");
  ASSERT_EQ(out["spec"]["template"]["spec"]["containers"].size(), 1u);
  EXPECT_FALSE(out["spec"]["template"]["spec"]["containers"][0].contains("env"));
}

TEST(PatchTest, StrategicMergesContainersByName) {
  // What `kubectl set image deploy/web app=web:2` sends.
  json out = Patch(
      PatchType::kStrategic, Deployment(),
      R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
                       "containers":[{"image":"web:2","name":"app"}]}}}})");
  const json& c = out["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0]["image"], "web:2");
  EXPECT_EQ(c[0]["env"][0]["name"], "A");  // Merged, not replaced.
  EXPECT_EQ(c[1]["image"], "proxy:1");
}

TEST(PatchTest, StrategicDirectives) {
  json out =
      Patch(PatchType::kStrategic, Deployment(),
            R"({"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"},
                       {"name":"new","image":"n:1"}]}}}})");
  const json& c = out["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0]["name"], "app");
  EXPECT_EQ(c[1]["name"], "new");
  out = Patch(PatchType::kStrategic, Deployment(),
              R"({"metadata":{"labels":{"$patch":"replace","only":"this"}}})");
  EXPECT_EQ(out["metadata"]["labels"], json({{"only", "this"}}));
  json node = json::parse(R"({"spec":{"taints":[{"key":"a","effect":"NoSchedule"}],
                                       "finalizers":["x","y"]}})");
  out = Patch(PatchType::kStrategic, node,
              R"({"spec":{"taints":[{"key":"b","effect":"NoExecute"}],
                  "$deleteFromPrimitiveList/finalizers":["x"]}})");
  ASSERT_EQ(out["spec"]["taints"].size(), 1u);  // No merge key: replaced.
  EXPECT_EQ(out["spec"]["taints"][0]["key"], "b");
  EXPECT_EQ(out["spec"]["finalizers"], json({"y"}));
}

TEST(PatchTest, JsonPatchOperationsAndErrors) {
  json out = Patch(PatchType::kJson, Deployment(),
                   R"([{"op":"replace","path":"/spec/replicas","value":5},
                       {"op":"add","path":"/metadata/labels/tier","value":"front"},
                       {"op":"test","path":"/spec/replicas","value":5},
                       {"op":"copy","from":"/metadata/labels/tier","path":"/metadata/labels/copy"},
                       {"op":"move","from":"/metadata/labels/copy","path":"/metadata/labels/moved"},
                       {"op":"remove","path":"/metadata/creationTimestamp"}])");
  EXPECT_EQ(out["spec"]["replicas"], 5);
  EXPECT_EQ(out["metadata"]["labels"]["moved"], "front");
  EXPECT_FALSE(out["metadata"]["labels"].contains("copy"));
  EXPECT_FALSE(out["metadata"].contains("creationTimestamp"));
  Result<json> doc =
      ParsePatchDocument(PatchType::kJson, R"([{"op":"replace","path":"/no/such","value":1}])");
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(ApplyPatch(PatchType::kJson, Deployment(), *doc).ok());
  doc =
      ParsePatchDocument(PatchType::kJson, R"([{"op":"test","path":"/spec/replicas","value":9}])");
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(ApplyPatch(PatchType::kJson, Deployment(), *doc).ok());
}

TEST(PatchTest, MalformedDocuments) {
  EXPECT_FALSE(ParsePatchDocument(PatchType::kMerge, "{").ok());
  EXPECT_FALSE(ParsePatchDocument(PatchType::kMerge, "[1]").ok());
  EXPECT_FALSE(ParsePatchDocument(PatchType::kJson, "{}").ok());
  EXPECT_FALSE(ParsePatchDocument(PatchType::kJson, R"([{"op":1,"path":"/a"}])").ok());
  EXPECT_FALSE(ParsePatchDocument(PatchType::kApply, "a: [unclosed").ok());
  EXPECT_FALSE(ParsePatchDocument(PatchType::kApply, "- just\n- a list\n").ok());
}

TEST(PatchTest, ApplyTakesYamlWithTypedScalars) {
  Result<json> doc = ParsePatchDocument(PatchType::kApply,
                                        "apiVersion: v1\nkind: X\nmetadata:\n  name: a\n"
                                        "spec:\n  n: 3\n  f: 0.5\n  b: true\n  s: \"3\"\n"
                                        "  z: ~\n  l: [a, 1]\n");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["spec"]["n"], 3);
  EXPECT_EQ((*doc)["spec"]["f"], 0.5);
  EXPECT_EQ((*doc)["spec"]["b"], true);
  EXPECT_EQ((*doc)["spec"]["s"], "3");
  EXPECT_TRUE((*doc)["spec"]["z"].is_null());
  EXPECT_EQ((*doc)["spec"]["l"], json({"a", 1}));
}

TEST(PatchTest, StripNullsAtEveryDepth) {
  json in = json::parse(R"({"a":null,"b":{"c":null,"d":[{"e":null,"f":1}]}})");
  EXPECT_EQ(StripNulls(in), json::parse(R"({"b":{"d":[{"f":1}]}})"));
}

}  // namespace
}  // namespace prescient::sim::api
