/** The single table (its keys and indexes from functions/platform/dynamo/table.ts). */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DEFINITION, TABLE_KEYS } from '#platform/dynamo/table.js';
import { pinLogicalId } from './pin.js';

export class DataTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      dynamoStream: StreamViewType.NEW_IMAGE,
      globalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((gsi) => ({
        indexName: gsi.IndexName,
        partitionKey: { name: gsi.KeySchema[0].AttributeName, type: AttributeType.STRING },
        sortKey: { name: gsi.KeySchema[1].AttributeName, type: AttributeType.STRING },
      })),
    });
    pinLogicalId(this.table, 'TableCD117FA1');
  }
}
