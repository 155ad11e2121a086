import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

/**
 * `client`, except that the `nth` transaction it is given fails as if the
 * function had stopped there (a timeout, a crash): what was written before
 * stays written, and nothing after is tried.
 */
export function stoppingAt(client: DynamoDBDocumentClient, nth: number): DynamoDBDocumentClient {
  let transactions = 0;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        if (command instanceof TransactWriteCommand) {
          transactions += 1;
          if (transactions === nth) return Promise.reject(new Error('the function stopped'));
        }
        return target.send(command);
      };
    },
  });
}
