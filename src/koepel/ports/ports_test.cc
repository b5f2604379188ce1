#include <gtest/gtest.h>

#include "koepel/ports/ports.h"

namespace koepel::ports {
namespace {

TEST(MemoryEventStoreTest, KeepsEventsInAppendOrder) {
  MemoryEventStore store;
  EventStore& port = store;  // used through the interface, as the engine does
  port.Append({SimTime::Epoch() + Seconds(2), "approve", "denied", "engagement 4", "track is civil"});
  port.Append({SimTime::Epoch() + Seconds(1), "fuse", "track_confirmed", "track 1", ""});
  ASSERT_EQ(store.events().size(), 2u);
  EXPECT_EQ(store.events()[0].kind, "denied");  // append order, not time order: it is an audit trail
  EXPECT_EQ(store.events()[0].detail, "track is civil");
  EXPECT_EQ(store.events()[1].subject, "track 1");
}

}  // namespace
}  // namespace koepel::ports
