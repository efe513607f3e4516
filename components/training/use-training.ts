"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { trainingApi } from "@/lib/api/training";
import type { AttemptView, CreateTraineeBody } from "@/lib/contracts/training";
import { queryKeys } from "@/lib/queries";

export const opRunning = (a: AttemptView | null | undefined) => a?.op?.status === "running";

export function useScenarios() {
  return useQuery({ queryKey: queryKeys.training.scenarios(), queryFn: trainingApi.scenarios });
}

export function useScenario(id: string) {
  return useQuery({ queryKey: queryKeys.training.scenario(id), queryFn: () => trainingApi.scenario(id) });
}

/** An attempt, polled every second while it is being set up or checked (the page never waits on a request). */
export function useAttempt(id: string | null) {
  return useQuery({
    queryKey: queryKeys.training.attempt(id ?? "none"),
    queryFn: () => trainingApi.attempt(id!),
    enabled: id !== null,
    refetchInterval: (q) => (opRunning(q.state.data) ? 1000 : false),
  });
}

export function useAttemptActions(scenarioId: string, onStarted: (attemptId: string) => void) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.training.all });
  const start = useMutation({
    mutationFn: (nodeId?: string) => trainingApi.start(scenarioId, nodeId),
    onSuccess: ({ attemptId }) => onStarted(attemptId),
    onSettled: refresh,
  });
  const check = useMutation({ mutationFn: (attemptId: string) => trainingApi.check(attemptId), onSettled: refresh });
  const hint = useMutation({ mutationFn: (attemptId: string) => trainingApi.hint(attemptId), onSettled: refresh });
  const solution = useMutation({ mutationFn: (attemptId: string) => trainingApi.solution(attemptId), onSettled: refresh });
  return { start, check, hint, solution };
}

export function useTrainees() {
  return useQuery({ queryKey: queryKeys.training.trainees(), queryFn: trainingApi.trainees });
}

export function useTraineeMutations() {
  const client = useQueryClient();
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: queryKeys.training.all }), client.invalidateQueries({ queryKey: queryKeys.practice.all })]);
  const create = useMutation({ mutationFn: (body: CreateTraineeBody) => trainingApi.createTrainee(body), onSettled: refresh });
  const assign = useMutation({ mutationFn: ({ userId, node }: { userId: string; node: string | "auto" | null }) => trainingApi.assign(userId, node), onSettled: refresh });
  return { create, assign };
}

export function useProgressTable(live: boolean) {
  return useQuery({ queryKey: queryKeys.training.progress(), queryFn: trainingApi.progress, refetchInterval: live ? 5000 : false });
}

export function useSelfCheck(id: string) {
  return useQuery({ queryKey: queryKeys.training.selfCheck(id), queryFn: () => trainingApi.selfCheck(id) });
}

export function useAnswerSelfCheck(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (answers: Record<string, number>) => trainingApi.answerSelfCheck(id, answers),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.training.selfCheck(id) }),
  });
}
