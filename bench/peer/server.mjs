// The benchmark peer: @neo4j/graphql 7.6.3 with @apollo/server 5 over the
// same Neo4j data the Allegiance loader writes. Reads NEO4J_URI (default
// bolt://127.0.0.1:7687), NEO4J_USERNAME/NEO4J_PASSWORD (default: no
// auth), NEO4J_DATABASE (default neo4j) and PORT (default 4000; 0 picks a
// free port). Prints its URL as the first line of stdout.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const uri = process.env.NEO4J_URI || "bolt://127.0.0.1:7687";
const auth = process.env.NEO4J_USERNAME
  ? neo4j.auth.basic(process.env.NEO4J_USERNAME, process.env.NEO4J_PASSWORD || "")
  : undefined;
const database = process.env.NEO4J_DATABASE || "neo4j";
const port = Number(process.env.PORT ?? 4000);

const driver = neo4j.driver(uri, auth, { maxConnectionPoolSize: 100 });
const typeDefs = readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();

const server = new ApolloServer({ schema, introspection: true });
const { url } = await startStandaloneServer(server, {
  listen: { port, host: "127.0.0.1" },
  context: async () => ({ sessionConfig: { database } }),
});
console.log(url);

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
