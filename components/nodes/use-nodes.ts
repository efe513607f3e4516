"use client";
import { useQuery } from "@tanstack/react-query";
import { nodesApi } from "@/lib/api/nodes";
import { queryKeys } from "@/lib/queries";

export function useNodes() {
  return useQuery({ queryKey: queryKeys.nodes.list(), queryFn: nodesApi.list });
}
